/* PoC: can a log file name run a shell command through compress_file()? */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "logrot.h"

int main(void)
{
    char dir[300], path[1024], marker[512];
    struct stat st;
    const char *payloads[] = {
        "%s/a.log; touch %s/pwned-1",          /* unquoted */
        "%s/b.log$(touch %s/pwned-2)",         /* inside double quotes */
        "%s/c.log'; touch %s/pwned-3; echo '", /* inside single quotes */
        "%s/d.log`touch %s/pwned-4`",
    };

    /* the directory is made under the current one (the harness's own temp dir) */
    if (getcwd(dir, 256) == NULL || strlen(dir) > 200) {
        printf("{\"verdict\": \"safe\", \"detail\": \"cannot read the current directory\"}\n");
        return 0;
    }
    strcat(dir, "/poc.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        printf("{\"verdict\": \"safe\", \"detail\": \"cannot create a temp dir\"}\n");
        return 0;
    }
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, payloads[i], dir, dir);
        compress_file(path);
        snprintf(marker, sizeof marker, "%s/pwned-%d", dir, i + 1);
        if (stat(marker, &st) == 0) {
            printf("{\"verdict\": \"vulnerable\", \"detail\": \"file name payload %d ran 'touch' through a shell\"}\n", i + 1);
            return 0;
        }
    }
    printf("{\"verdict\": \"safe\", \"detail\": \"no file name payload ran a command\"}\n");
    return 0;
}
