#ifndef HOSO_CZLIB_SHIM_H
#define HOSO_CZLIB_SHIM_H
#include <zlib.h>

/* deflateInit is a macro, which Swift cannot call. */
static inline int hoso_deflate_init(z_streamp s, int level) { return deflateInit(s, level); }
static inline int hoso_inflate_init(z_streamp s) { return inflateInit(s); }
/* A raw deflate stream (no zlib header or trailer), for compressing pieces of one stream in parallel. */
static inline int hoso_deflate_init_raw(z_streamp s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
}
#endif
