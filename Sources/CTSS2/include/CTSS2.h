#ifndef GUESTGUARD_CTSS2_H
#define GUESTGUARD_CTSS2_H
// tss2-esys, -mu, -rc and -tctildr as GuestGuardTPM uses them. The libraries are not linked: loader.c opens
// them with dlopen() on the first call (a guest without [tpm] needs no libtss2 in its initramfs; issue 14).
#include <tss2/tss2_esys.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_tctildr.h>
#endif
