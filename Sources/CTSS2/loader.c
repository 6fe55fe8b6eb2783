// The tss2 functions GuestGuardTPM calls, as trampolines into the libraries opened with dlopen() on first use
// (libtss2-esys.so.0, -mu.so.0, -rc.so.0, -tctildr.so.0: the sonames Debian ships). The executables link no
// libtss2, so the initramfs carries those libraries only when the configuration has [tpm] (issue 14).
// When a library or symbol is missing, every call fails with TSS2_ESYS_RC_NOT_IMPLEMENTED (or
// TSS2_TCTI_RC_NOT_SUPPORTED for the TCTI loader) and Tss2_RC_Decode explains what dlopen() said.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "CTSS2.h"

static pthread_once_t loaded = PTHREAD_ONCE_INIT;
static char load_error[512];

#define TSS2_FUNCTIONS(X) \
    X(esys, Esys_Initialize) X(esys, Esys_Finalize) X(esys, Esys_Free) X(esys, Esys_Quote) X(esys, Esys_PCR_Read) \
    X(esys, Esys_PCR_Extend) X(esys, Esys_GetCapability) X(esys, Esys_CreatePrimary) X(esys, Esys_FlushContext) \
    X(tctildr, Tss2_TctiLdr_Initialize) X(tctildr, Tss2_TctiLdr_Finalize) X(rc, Tss2_RC_Decode) \
    X(mu, Tss2_MU_TPMT_SIGNATURE_Marshal) X(mu, Tss2_MU_TPMT_PUBLIC_Marshal)

#define DECLARE_POINTER(library, name) static __typeof__(&name) p_##name;
TSS2_FUNCTIONS(DECLARE_POINTER)

static void *open_library(const char *soname) {
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!handle && !load_error[0]) snprintf(load_error, sizeof load_error, "cannot load %s: %s", soname, dlerror());
    return handle;
}

static void load(void) {
    void *esys = open_library("libtss2-esys.so.0"), *mu = open_library("libtss2-mu.so.0");
    void *rc = open_library("libtss2-rc.so.0"), *tctildr = open_library("libtss2-tctildr.so.0");
    if (load_error[0]) return;
#define RESOLVE(library, name) \
    if (!(p_##name = (__typeof__(&name))dlsym(library, #name)) && !load_error[0]) \
        snprintf(load_error, sizeof load_error, "%s not found in libtss2-%s", #name, #library);
    TSS2_FUNCTIONS(RESOLVE)
    if (load_error[0]) {
#define FORGET(library, name) p_##name = NULL;
        TSS2_FUNCTIONS(FORGET)
    }
}

static int ready(void) {
    pthread_once(&loaded, load);
    return load_error[0] == 0;
}

TSS2_RC Tss2_TctiLdr_Initialize(const char *nameConf, TSS2_TCTI_CONTEXT **context) {
    return ready() ? p_Tss2_TctiLdr_Initialize(nameConf, context) : TSS2_TCTI_RC_NOT_SUPPORTED;
}
void Tss2_TctiLdr_Finalize(TSS2_TCTI_CONTEXT **context) {
    if (ready()) p_Tss2_TctiLdr_Finalize(context);
}
const char *Tss2_RC_Decode(TSS2_RC rc) { return ready() ? p_Tss2_RC_Decode(rc) : load_error; }
TSS2_RC Esys_Initialize(ESYS_CONTEXT **esys_context, TSS2_TCTI_CONTEXT *tcti, TSS2_ABI_VERSION *abiVersion) {
    return ready() ? p_Esys_Initialize(esys_context, tcti, abiVersion) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
void Esys_Finalize(ESYS_CONTEXT **context) {
    if (ready()) p_Esys_Finalize(context);
}
void Esys_Free(void *__ptr) {
    if (ready()) p_Esys_Free(__ptr);
}
TSS2_RC Esys_Quote(ESYS_CONTEXT *esysContext, ESYS_TR signHandle, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                   const TPM2B_DATA *qualifyingData, const TPMT_SIG_SCHEME *inScheme, const TPML_PCR_SELECTION *PCRselect,
                   TPM2B_ATTEST **quoted, TPMT_SIGNATURE **signature) {
    return ready() ? p_Esys_Quote(esysContext, signHandle, shandle1, shandle2, shandle3, qualifyingData, inScheme, PCRselect, quoted, signature)
                   : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Esys_PCR_Read(ESYS_CONTEXT *esysContext, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                      const TPML_PCR_SELECTION *pcrSelectionIn, UINT32 *pcrUpdateCounter, TPML_PCR_SELECTION **pcrSelectionOut,
                      TPML_DIGEST **pcrValues) {
    return ready() ? p_Esys_PCR_Read(esysContext, shandle1, shandle2, shandle3, pcrSelectionIn, pcrUpdateCounter, pcrSelectionOut, pcrValues)
                   : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Esys_PCR_Extend(ESYS_CONTEXT *esysContext, ESYS_TR pcrHandle, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                        const TPML_DIGEST_VALUES *digests) {
    return ready() ? p_Esys_PCR_Extend(esysContext, pcrHandle, shandle1, shandle2, shandle3, digests) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Esys_GetCapability(ESYS_CONTEXT *esysContext, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3, TPM2_CAP capability,
                           UINT32 property, UINT32 propertyCount, TPMI_YES_NO *moreData, TPMS_CAPABILITY_DATA **capabilityData) {
    return ready() ? p_Esys_GetCapability(esysContext, shandle1, shandle2, shandle3, capability, property, propertyCount, moreData, capabilityData)
                   : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Esys_CreatePrimary(ESYS_CONTEXT *esysContext, ESYS_TR primaryHandle, ESYS_TR shandle1, ESYS_TR shandle2, ESYS_TR shandle3,
                           const TPM2B_SENSITIVE_CREATE *inSensitive, const TPM2B_PUBLIC *inPublic, const TPM2B_DATA *outsideInfo,
                           const TPML_PCR_SELECTION *creationPCR, ESYS_TR *objectHandle, TPM2B_PUBLIC **outPublic,
                           TPM2B_CREATION_DATA **creationData, TPM2B_DIGEST **creationHash, TPMT_TK_CREATION **creationTicket) {
    return ready() ? p_Esys_CreatePrimary(esysContext, primaryHandle, shandle1, shandle2, shandle3, inSensitive, inPublic, outsideInfo,
                                          creationPCR, objectHandle, outPublic, creationData, creationHash, creationTicket)
                   : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Esys_FlushContext(ESYS_CONTEXT *esysContext, ESYS_TR flushHandle) {
    return ready() ? p_Esys_FlushContext(esysContext, flushHandle) : TSS2_ESYS_RC_NOT_IMPLEMENTED;
}
TSS2_RC Tss2_MU_TPMT_SIGNATURE_Marshal(TPMT_SIGNATURE const *src, uint8_t buffer[], size_t buffer_size, size_t *offset) {
    return ready() ? p_Tss2_MU_TPMT_SIGNATURE_Marshal(src, buffer, buffer_size, offset) : (TSS2_MU_RC_LAYER | TSS2_BASE_RC_NOT_IMPLEMENTED);
}
TSS2_RC Tss2_MU_TPMT_PUBLIC_Marshal(TPMT_PUBLIC const *src, uint8_t buffer[], size_t buffer_size, size_t *offset) {
    return ready() ? p_Tss2_MU_TPMT_PUBLIC_Marshal(src, buffer, buffer_size, offset) : (TSS2_MU_RC_LAYER | TSS2_BASE_RC_NOT_IMPLEMENTED);
}
