/*
 * The FastCGI ceiling for bench/http: the least a libfcgi responder can do per request.
 * THREADS threads (default 4) block in FCGX_Accept_r on one unix socket and answer every request
 * with `{"ok":true}` as JSON, with the same header block FCGIApp sends for /api/ping (Status,
 * Content-Type, Content-Length, and nginx's REQUEST_ID sent back as X-Request-Id), so nginx and
 * the client get the same bytes from both.
 *
 *   gcc -O2 -o fcgi-hello fcgi-hello.c -lfcgi -lpthread
 *   fcgi-hello SOCKET_PATH [THREADS]
 *
 * The socket is made 0666 so nginx's workers (www-data) can connect. SIGTERM or SIGINT
 * removes the socket and exits at once (installed before FCGX_Init, so libfcgi, which only
 * takes over signals still at their default, leaves them alone).
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char head[] =
    "Status: 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 11\r\n";
static const char tail[] = "\r\n{\"ok\":true}";

static int listen_fd = -1;
static const char *socket_path;

static void on_stop(int sig) {
    (void)sig;
    unlink(socket_path);
    _exit(0);
}

static void *serve(void *unused) {
    (void)unused;
    FCGX_Request request;
    if (FCGX_InitRequest(&request, listen_fd, 0) != 0) {
        fprintf(stderr, "fcgi-hello: FCGX_InitRequest failed\n");
        return NULL;
    }
    while (FCGX_Accept_r(&request) >= 0) {
        FCGX_PutStr(head, (int)(sizeof head - 1), request.out);
        const char *id = FCGX_GetParam("REQUEST_ID", request.envp);
        if (id != NULL) {
            FCGX_PutS("X-Request-Id: ", request.out);
            FCGX_PutS(id, request.out);
            FCGX_PutS("\r\n", request.out);
        }
        FCGX_PutStr(tail, (int)(sizeof tail - 1), request.out);
        FCGX_Finish_r(&request);
    }
    fprintf(stderr, "fcgi-hello: FCGX_Accept_r failed; thread leaving\n");
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s SOCKET_PATH [THREADS]\n", argv[0]);
        return 2;
    }
    socket_path = argv[1];
    int threads = argc == 3 ? atoi(argv[2]) : 4;
    if (threads < 1 || threads > 256) {
        fprintf(stderr, "fcgi-hello: THREADS must be 1 to 256\n");
        return 2;
    }

    struct sigaction stop;
    memset(&stop, 0, sizeof stop);
    stop.sa_handler = on_stop;
    sigemptyset(&stop.sa_mask);
    sigaction(SIGTERM, &stop, NULL);
    sigaction(SIGINT, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (FCGX_Init() != 0) {
        fprintf(stderr, "fcgi-hello: FCGX_Init failed\n");
        return 1;
    }
    listen_fd = FCGX_OpenSocket(socket_path, 1024);
    if (listen_fd < 0) {
        fprintf(stderr, "fcgi-hello: FCGX_OpenSocket(%s) failed\n", socket_path);
        return 1;
    }
    if (chmod(socket_path, 0666) != 0) {
        perror("fcgi-hello: chmod");
        return 1;
    }

    pthread_t *ids = calloc((size_t)threads, sizeof *ids);
    if (ids == NULL) return 1;
    for (int i = 0; i < threads; i++) {
        if (pthread_create(&ids[i], NULL, serve, NULL) != 0) {
            fprintf(stderr, "fcgi-hello: pthread_create failed\n");
            return 1;
        }
    }
    for (int i = 0; i < threads; i++) pthread_join(ids[i], NULL);
    return 1;
}
