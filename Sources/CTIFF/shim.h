#ifndef HOSO_CTIFF_SHIM_H
#define HOSO_CTIFF_SHIM_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <tiffio.h>

/* TIFFSetField and TIFFGetField are variadic, which Swift cannot call. These typed wrappers are the
   only additions: one per argument shape HoSo uses. */
static inline int hoso_tiff_set_u16(TIFF *t, uint32_t tag, uint16_t v) { return TIFFSetField(t, tag, v); }
static inline int hoso_tiff_set_u32(TIFF *t, uint32_t tag, uint32_t v) { return TIFFSetField(t, tag, v); }
static inline int hoso_tiff_set_int(TIFF *t, uint32_t tag, int v) { return TIFFSetField(t, tag, v); }
static inline int hoso_tiff_set_float(TIFF *t, uint32_t tag, float v) { return TIFFSetField(t, tag, (double)v); }
static inline int hoso_tiff_set_string(TIFF *t, uint32_t tag, const char *v) { return TIFFSetField(t, tag, v); }
static inline int hoso_tiff_set_colormap(TIFF *t, uint16_t *r, uint16_t *g, uint16_t *b) {
    return TIFFSetField(t, TIFFTAG_COLORMAP, r, g, b);
}
static inline int hoso_tiff_set_page_number(TIFF *t, uint16_t page, uint16_t count) {
    return TIFFSetField(t, TIFFTAG_PAGENUMBER, page, count);
}
static inline int hoso_tiff_set_extrasamples(TIFF *t, uint16_t count, uint16_t *kinds) {
    return TIFFSetField(t, TIFFTAG_EXTRASAMPLES, count, kinds);
}
static inline int hoso_tiff_set_ycbcr_subsampling(TIFF *t, uint16_t h, uint16_t v) {
    return TIFFSetField(t, TIFFTAG_YCBCRSUBSAMPLING, h, v);
}
static inline int hoso_tiff_get_u16(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_u32(TIFF *t, uint32_t tag, uint32_t *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_float(TIFF *t, uint32_t tag, float *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_u16_defaulted(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetFieldDefaulted(t, tag, v); }
static inline int hoso_tiff_get_colormap(TIFF *t, uint16_t **r, uint16_t **g, uint16_t **b) {
    return TIFFGetField(t, TIFFTAG_COLORMAP, r, g, b);
}
static inline int hoso_tiff_get_jpegtables(TIFF *t, uint32_t *count, void **data) {
    return TIFFGetField(t, TIFFTAG_JPEGTABLES, count, data);
}
static inline int hoso_tiff_get_extrasamples(TIFF *t, uint16_t *count, uint16_t **kinds) {
    return TIFFGetFieldDefaulted(t, TIFFTAG_EXTRASAMPLES, count, kinds);
}
static inline int hoso_tiff_get_ycbcr_subsampling(TIFF *t, uint16_t *h, uint16_t *v) {
    return TIFFGetFieldDefaulted(t, TIFFTAG_YCBCRSUBSAMPLING, h, v);
}

/* libtiff reports problems through printf-style callbacks with a va_list, which Swift cannot format.
   This handler formats the first error into a buffer the caller owns (passed as user data). */
typedef struct {
    char first_error[512];
    int error_count;
    char first_warning[512];
    int warning_count;
} hoso_tiff_diagnostics;

/* Keeps the first message of a kind, formatted, and counts them all. */
static inline void hoso_tiff_keep_first(char *buffer, size_t size, int *count, const char *module, const char *fmt, va_list ap) {
    if ((*count)++ != 0) return;
    int n = module ? snprintf(buffer, size, "%s: ", module) : 0;
    if (n < 0 || n >= (int)size) n = 0;
    vsnprintf(buffer + n, size - (size_t)n, fmt, ap);
}

static inline int hoso_tiff_collect_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    hoso_tiff_diagnostics *d = (hoso_tiff_diagnostics *)user;
    hoso_tiff_keep_first(d->first_error, sizeof d->first_error, &d->error_count, module, fmt, ap);
    return 1;
}

/* Warnings are kept too (the first one): some say libtiff guessed at what the file should have said. */
static inline int hoso_tiff_collect_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap) {
    (void)tif;
    hoso_tiff_diagnostics *d = (hoso_tiff_diagnostics *)user;
    hoso_tiff_keep_first(d->first_warning, sizeof d->first_warning, &d->warning_count, module, fmt, ap);
    return 1;
}

/* Opens a file with HoSo's error capture and a cap on any single allocation libtiff makes. `mode` is
   libtiff's: HoSo reads with "rm" (read(2), not mmap: a mapped 3 GB scan would count, page by page, as
   resident memory) and writes its scratch files with "w". */
static inline TIFF *hoso_tiff_open(const char *path, const char *mode, hoso_tiff_diagnostics *diagnostics, tmsize_t max_single_alloc) {
    TIFFOpenOptions *options = TIFFOpenOptionsAlloc();
    if (!options) return NULL;
    TIFFOpenOptionsSetMaxSingleMemAlloc(options, max_single_alloc);
    TIFFOpenOptionsSetErrorHandlerExtR(options, hoso_tiff_collect_error, diagnostics);
    TIFFOpenOptionsSetWarningHandlerExtR(options, hoso_tiff_collect_warning, diagnostics);
    TIFF *tif = TIFFOpenExt(path, mode, options);
    TIFFOpenOptionsFree(options);
    return tif;
}
#endif
