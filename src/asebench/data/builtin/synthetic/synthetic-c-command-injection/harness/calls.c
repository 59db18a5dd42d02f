/* Calls the candidate's compress_file() and rotate_log() and prints each return code, one
 * tab-separated line per call. The same program serves the PoC and the test: the arguments
 * are calls, "compress PATH" or "rotate PATH KEEP". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logrot.h"

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "compress") == 0 && i + 1 < argc) {
            printf("compress\t%d\n", compress_file(argv[i + 1]));
            i += 1;
        } else if (strcmp(argv[i], "rotate") == 0 && i + 2 < argc) {
            printf("rotate\t%d\n", rotate_log(argv[i + 1], atoi(argv[i + 2])));
            i += 2;
        } else {
            fprintf(stderr, "unknown call %s\n", argv[i]);
            return 2;
        }
        fflush(stdout);
    }
    return 0;
}
