/* cmd_documents.c — `kartoteka documents` (being written). */
#include "cli/cli.h"

int cmd_documents(int argc, char **argv)
{
    (void)argc;
    fprintf(stderr, "kartoteka %s: not available yet\n", argv[0]);
    return CLI_EXIT_ERROR;
}
