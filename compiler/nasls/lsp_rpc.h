/* lsp_rpc.h — the JSON-RPC transport of the Language Server Protocol over a pair of file
 * descriptors: messages framed by a `Content-Length: N` header block, bodies parsed with cJSON.
 * The reader never trusts its input: a header without a usable length is skipped (and said
 * so), a length over LSP_MAX_BODY is refused, a body shorter than announced ends at EOF, and
 * a read waits at most the timeout it is given (the server's debounce). */
#ifndef NAS_LSP_RPC_H
#define NAS_LSP_RPC_H
#include <stddef.h>
#include <cjson/cJSON.h>

#define LSP_MAX_BODY   (128u * 1024 * 1024) /* twice the compiler's largest source file */
#define LSP_MAX_HEADER (64 * 1024)

typedef struct LspIn {
    int fd;
    char *buf;
    size_t len, cap;
    char *msg; /* the last message's body */
    int eof;
} LspIn;

typedef enum LspRead {
    LSP_MESSAGE,    /* *body (NUL-terminated, len bytes) is valid until the next read */
    LSP_TIMEOUT,    /* nothing complete within the timeout */
    LSP_BAD_HEADER, /* a header block without a usable Content-Length, dropped */
    LSP_EOF,        /* the input ended (possibly inside a message) */
} LspRead;

void lsp_in_init(LspIn *in, int fd);
void lsp_in_free(LspIn *in);
/* timeout_ms < 0: wait for as long as it takes. */
LspRead lsp_read(LspIn *in, int timeout_ms, const char **body, size_t *len);

/* Writes one message (consumes msg). Bytes that are not valid UTF-8 become U+FFFD, so the
 * client always gets valid JSON text. Returns 0, or -1 when the output is gone. */
int lsp_send(int fd, cJSON *msg);
/* A response {"jsonrpc": "2.0", "id": id, "result": result} (id copied, result consumed). */
int lsp_respond(int fd, const cJSON *id, cJSON *result);
int lsp_respond_error(int fd, const cJSON *id, int code, const char *message);
int lsp_notify(int fd, const char *method, cJSON *params);

enum {
    LSP_PARSE_ERROR = -32700,
    LSP_INVALID_REQUEST = -32600,
    LSP_METHOD_NOT_FOUND = -32601,
    LSP_INVALID_PARAMS = -32602,
    LSP_NOT_INITIALIZED = -32002,
};
#endif
