#ifndef HOSO_CPOPPLER_SHIM_H
#define HOSO_CPOPPLER_SHIM_H
#include <poppler.h>
#include <cairo.h>
#include <cairo-pdf.h>
#endif
