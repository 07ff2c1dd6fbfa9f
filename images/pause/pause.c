/*
 * The pod sandbox ("pause") process for test nodes without a registry: it holds the pod's
 * namespaces open and does nothing else. As PID 1 of a pod with a shared PID namespace it reaps
 * orphaned children (SIGCHLD); SIGINT and SIGTERM end it with status 0, which is how the runtime
 * stops a sandbox. Built static (gcc -static -Os) so the image needs no libc.
 */
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig) {
    (void) sig;
    _exit(0);
}

static void reap(int sig) {
    (void) sig;
    while (waitpid(-1, NULL, WNOHANG) > 0) {
    }
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        static const char v[] = "pause (confext-operator test image)\n";
        (void) !write(STDOUT_FILENO, v, sizeof v - 1);
        return 0;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = stop;
    if (sigaction(SIGINT, &sa, NULL) < 0 || sigaction(SIGTERM, &sa, NULL) < 0) {
        return 1;
    }
    sa.sa_handler = reap;
    sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
    if (sigaction(SIGCHLD, &sa, NULL) < 0) {
        return 2;
    }
    for (;;) {
        pause();
    }
}
