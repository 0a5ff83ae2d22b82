#ifndef HOSO_CJPEG_SHIM_H
#define HOSO_CJPEG_SHIM_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <jpeglib.h>

/* libjpeg reports errors by calling error_exit, which must not return: HoSo's handler jumps back into
   the shim function that called libjpeg (each one sets its own jump point), with the message kept.
   Warnings (a stray byte, a premature end) are counted, not printed. Swift never sees a longjmp. */
typedef struct {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int warnings;
} hoso_jpeg_error;

typedef struct {
    struct jpeg_decompress_struct info;
    hoso_jpeg_error error;
    FILE *file;
    int started;
} hoso_jpeg_reader;

static void hoso_jpeg_error_exit(j_common_ptr info) {
    hoso_jpeg_error *error = (hoso_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

static void hoso_jpeg_emit_message(j_common_ptr info, int level) {
    if (level < 0) ((hoso_jpeg_error *)info->err)->warnings++;
}

/* Opens `path` for decoding at 1/`scale_denom` of its size (1, 2, 4 or 8) as grey (1 component), RGB
   (3) or CMYK as stored (4), with libjpeg's working memory capped at `max_memory` bytes. NULL on failure, with the reason
   in `message` (JMSG_LENGTH_MAX bytes). */
static inline hoso_jpeg_reader *hoso_jpeg_open(const char *path, int scale_denom, long max_memory, char *message) {
    hoso_jpeg_reader *reader = calloc(1, sizeof *reader);
    if (!reader) { strcpy(message, "out of memory"); return NULL; }
    reader->file = fopen(path, "rb");
    if (!reader->file) { strcpy(message, "cannot open the file"); free(reader); return NULL; }
    reader->info.err = jpeg_std_error(&reader->error.pub);
    reader->error.pub.error_exit = hoso_jpeg_error_exit;
    reader->error.pub.emit_message = hoso_jpeg_emit_message;
    if (setjmp(reader->error.jump)) {
        strcpy(message, reader->error.message);
        jpeg_destroy_decompress(&reader->info);
        fclose(reader->file);
        free(reader);
        return NULL;
    }
    jpeg_create_decompress(&reader->info);
    reader->info.mem->max_memory_to_use = max_memory;
    jpeg_stdio_src(&reader->info, reader->file);
    jpeg_read_header(&reader->info, TRUE);
    switch (reader->info.num_components) {
    case 1: reader->info.out_color_space = JCS_GRAYSCALE; break;
    case 3: reader->info.out_color_space = JCS_RGB; break;
    case 4: reader->info.out_color_space = JCS_CMYK; break;
    default:
        strcpy(message, "not a grey, colour or CMYK JPEG");
        jpeg_destroy_decompress(&reader->info);
        fclose(reader->file);
        free(reader);
        return NULL;
    }
    reader->info.scale_num = 1;
    reader->info.scale_denom = (unsigned int)scale_denom;
    reader->info.dct_method = JDCT_IFAST;
    reader->info.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&reader->info);
    reader->started = 1;
    return reader;
}

static inline unsigned int hoso_jpeg_width(const hoso_jpeg_reader *reader) { return reader->info.output_width; }
static inline unsigned int hoso_jpeg_height(const hoso_jpeg_reader *reader) { return reader->info.output_height; }
static inline int hoso_jpeg_components(const hoso_jpeg_reader *reader) { return reader->info.output_components; }
static inline int hoso_jpeg_warnings(const hoso_jpeg_reader *reader) { return reader->error.warnings; }

/* Decodes the next row into `row` (width × components bytes). 1 on success, 0 on an error (its text in
   `message`). */
static inline int hoso_jpeg_read_row(hoso_jpeg_reader *reader, unsigned char *row, char *message) {
    if (setjmp(reader->error.jump)) { strcpy(message, reader->error.message); return 0; }
    JSAMPROW rows[1] = { row };
    if (jpeg_read_scanlines(&reader->info, rows, 1) != 1) { strcpy(message, "no more rows"); return 0; }
    return 1;
}

static inline void hoso_jpeg_close(hoso_jpeg_reader *reader) {
    if (!setjmp(reader->error.jump)) jpeg_destroy_decompress(&reader->info);
    fclose(reader->file);
    free(reader);
}
#endif
