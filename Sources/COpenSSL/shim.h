#ifndef HOSO_COPENSSL_SHIM_H
#define HOSO_COPENSSL_SHIM_H
/* The ENGINE API is deprecated in OpenSSL 3 but is how Debian's libp11 (libengine-pkcs11-openssl)
   reaches PKCS#11 tokens; only the wrappers below touch it. */
#define OPENSSL_SUPPRESS_DEPRECATED
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
#include <openssl/engine.h>

/* BIO_do_connect is a macro. */
static inline long hoso_bio_do_connect(BIO *bio) { return BIO_do_connect(bio); }

/* XN_FLAG_RFC2253 is a macro of macros, which Swift cannot import. Without ASN1_STRFLGS_ESC_MSB: names stay
   UTF-8 ("Sở Tư pháp") instead of escaped bytes ("S\E1\BB\9F"); control characters are still escaped. */
static inline unsigned long hoso_xn_flag_rfc2253_utf8(void) { return XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB; }
/* sk_DIST_POINT_pop_free is a macro over a typed stack. */
static inline void hoso_dist_points_free(void *points) {
    sk_DIST_POINT_pop_free((STACK_OF(DIST_POINT) *)points, DIST_POINT_free);
}

/* The pkcs11 engine (libp11), configured with a module and a PIN and initialised: one login serves
   every key operation after. NULL when the engine or the module cannot be loaded. */
static inline ENGINE *hoso_pkcs11_engine(const char *module_path, const char *pin) {
    ENGINE *engine = ENGINE_by_id("pkcs11");
    if (engine == NULL) return NULL;
    if ((module_path != NULL && !ENGINE_ctrl_cmd_string(engine, "MODULE_PATH", module_path, 0))
        || (pin != NULL && !ENGINE_ctrl_cmd_string(engine, "PIN", pin, 0))
        || !ENGINE_init(engine)) {
        ENGINE_free(engine);
        return NULL;
    }
    return engine;
}
static inline EVP_PKEY *hoso_pkcs11_private_key(ENGINE *engine, const char *uri) {
    return ENGINE_load_private_key(engine, uri, NULL, NULL);
}
/* The certificate a PKCS#11 URI names (libp11's LOAD_CERT_CTRL). */
static inline X509 *hoso_pkcs11_certificate(ENGINE *engine, const char *uri) {
    struct { const char *uri; X509 *cert; } params = { uri, NULL };
    if (!ENGINE_ctrl_cmd(engine, "LOAD_CERT_CTRL", 0, &params, NULL, 1)) return NULL;
    return params.cert;
}
static inline void hoso_engine_release(ENGINE *engine) {
    ENGINE_finish(engine);
    ENGINE_free(engine);
}
#endif
