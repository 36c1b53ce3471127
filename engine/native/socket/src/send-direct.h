#ifndef ELB_SEND_DIRECT_H
#define ELB_SEND_DIRECT_H
#include <node_api.h>
/** Adds sendLatin1 and sendLatin1Bytes to the addon's exports. */
void send_direct_exports(napi_env env, napi_value exports);
#endif
