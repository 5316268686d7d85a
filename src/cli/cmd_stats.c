/* cmd_stats.c — `kartoteka stats` (being written). */
#include "cli/cli.h"

int cmd_stats(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "kartoteka %s: not available yet\n", argv[0]);
    return CLI_EXIT_ERROR;
}
