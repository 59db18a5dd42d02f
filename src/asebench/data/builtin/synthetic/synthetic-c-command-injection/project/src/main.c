#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "logrot.h"

static void usage(const char *prog)
{
    fprintf(stderr, "usage: %s [-k keep] logfile...\n", prog);
}

int main(int argc, char **argv)
{
    int keep = 5, opt, failed = 0;

    while ((opt = getopt(argc, argv, "k:h")) != -1) {
        switch (opt) {
        case 'k':
            keep = atoi(optarg);
            break;
        default:
            usage(argv[0]);
            return opt == 'h' ? 0 : 2;
        }
    }
    if (optind >= argc) {
        usage(argv[0]);
        return 2;
    }
    for (int i = optind; i < argc; i++) {
        if (rotate_log(argv[i], keep) != 0) {
            perror(argv[i]);
            failed = 1;
        }
    }
    return failed;
}
