/*
 * sendLatin1(fd, string) -> bytes sent, or -errno
 *
 * One non-blocking send(2) of a one-byte (latin1) string on a connected socket, MSG_NOSIGNAL: the write
 * path of the HTTP proxy when the socket's own write queue is empty (engine/io/direct-write.ts).
 * Returns how many bytes the kernel took (possibly fewer than the string's length) or the negated
 * errno (-EAGAIN when the socket buffer is full); the caller queues what is left on the socket.
 * Strings longer than SEND_DIRECT_MAX are refused with -EMSGSIZE (the caller writes them itself).
 *
 * sendLatin1Bytes(fd, head, bytes, start, end) -> bytes sent, or -errno
 *
 * The same for a latin1 `head` (may be empty) followed by bytes[start, end) of a Buffer, in one
 * sendmsg(2) with two iovecs: a response head and the body bytes read with it go out without the body
 * ever becoming a string or a copy. The count covers both parts, head first.
 */
#include <node_api.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "send-direct.h"

#define SEND_DIRECT_MAX (64 * 1024)

/* One per thread: the engine's workers are threads of one process (worker_threads), each sending on its own. */
static _Thread_local char scratch[SEND_DIRECT_MAX + 1];

static napi_value send_latin1(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  int32_t fd = -1;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "sendLatin1(fd, string)");
    return NULL;
  }
  size_t length = 0;
  if (napi_get_value_string_latin1(env, argv[1], scratch, sizeof scratch, &length) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "sendLatin1(fd, string)");
    return NULL;
  }
  int32_t sent;
  if (length >= SEND_DIRECT_MAX) sent = -EMSGSIZE;
  else {
    ssize_t n;
    do n = send(fd, scratch, length, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    sent = n < 0 ? -errno : (int32_t)n;
  }
  napi_create_int32(env, sent, &result);
  return result;
}

static napi_value send_latin1_bytes(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  int32_t fd = -1, start = 0, end = 0;
  void *data = NULL;
  size_t size = 0, length = 0;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 5 ||
      napi_get_value_int32(env, argv[0], &fd) != napi_ok ||
      napi_get_value_string_latin1(env, argv[1], scratch, sizeof scratch, &length) != napi_ok ||
      napi_get_buffer_info(env, argv[2], &data, &size) != napi_ok ||
      napi_get_value_int32(env, argv[3], &start) != napi_ok || napi_get_value_int32(env, argv[4], &end) != napi_ok ||
      start < 0 || end < start || (size_t)end > size) {
    napi_throw_type_error(env, "EINVAL", "sendLatin1Bytes(fd, head, bytes, start, end)");
    return NULL;
  }
  int32_t sent;
  if (length >= SEND_DIRECT_MAX) sent = -EMSGSIZE;
  else {
    struct iovec parts[2] = { { scratch, length }, { (char *)data + start, (size_t)(end - start) } };
    struct msghdr message = { 0 };
    message.msg_iov = length == 0 ? parts + 1 : parts;
    message.msg_iovlen = length == 0 ? 1 : 2;
    ssize_t n;
    do n = sendmsg(fd, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (n < 0 && errno == EINTR);
    sent = n < 0 ? -errno : (int32_t)n;
  }
  napi_create_int32(env, sent, &result);
  return result;
}

void send_direct_exports(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "sendLatin1", NAPI_AUTO_LENGTH, send_latin1, NULL, &fn);
  napi_set_named_property(env, exports, "sendLatin1", fn);
  napi_create_function(env, "sendLatin1Bytes", NAPI_AUTO_LENGTH, send_latin1_bytes, NULL, &fn);
  napi_set_named_property(env, exports, "sendLatin1Bytes", fn);
}
