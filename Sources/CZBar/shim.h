#ifndef HOSO_CZBAR_SHIM_H
#define HOSO_CZBAR_SHIM_H
#include <zbar.h>

/// The FourCC of 8-bit grey images, which zbar scans as they are (zbar_fourcc is a macro Swift cannot call).
static inline unsigned long hoso_zbar_format_y800(void) { return zbar_fourcc('Y', '8', '0', '0'); }
#endif
