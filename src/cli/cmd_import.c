/* cmd_import.c — `kartoteka import` (being written). */
#include "cli/cli.h"

int cmd_import(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "kartoteka %s: not available yet\n", argv[0]);
    return CLI_EXIT_ERROR;
}
