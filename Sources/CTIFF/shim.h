#ifndef HOSO_CTIFF_SHIM_H
#define HOSO_CTIFF_SHIM_H
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
static inline int hoso_tiff_get_u16(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_u32(TIFF *t, uint32_t tag, uint32_t *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_float(TIFF *t, uint32_t tag, float *v) { return TIFFGetField(t, tag, v); }
static inline int hoso_tiff_get_u16_defaulted(TIFF *t, uint32_t tag, uint16_t *v) { return TIFFGetFieldDefaulted(t, tag, v); }
#endif
