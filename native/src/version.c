#include "panavec.h"

int32_t pv_abi_version(void) { return PV_ABI_VERSION; }
