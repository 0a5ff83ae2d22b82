#ifndef HOSO_COPENSSL_SHIM_H
#define HOSO_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <openssl/cms.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pkcs12.h>
#include <openssl/bio.h>
#include <openssl/ts.h>
#include <openssl/ess.h>
#include <openssl/ocsp.h>
#include <openssl/http.h>

/* BIO_do_connect is a macro. */
static inline long hoso_bio_do_connect(BIO *bio) { return BIO_do_connect(bio); }

/* XN_FLAG_RFC2253 is a macro of macros, which Swift cannot import. */
static inline unsigned long hoso_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }
/* sk_DIST_POINT_pop_free is a macro over a typed stack. */
static inline void hoso_dist_points_free(void *points) {
    sk_DIST_POINT_pop_free((STACK_OF(DIST_POINT) *)points, DIST_POINT_free);
}
#endif
