/* cli.c — helpers shared by the commands: error printing, exit codes. */
#include "cli/cli.h"

#include <stdarg.h>

void cli_print_error(const kt_error *err)
{
    char buf[2048];
    fprintf(stderr, "kartoteka: %s\n", kt_error_format(err, buf, sizeof buf));
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "kartoteka %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'kartoteka %s --help')\n", cmd);
    return CLI_EXIT_USAGE;
}

int cli_exit_for(int status)
{
    switch (status) {
    case KT_OK: return CLI_EXIT_OK;
    case KT_ERR_INPUT: return CLI_EXIT_INPUT;
    case KT_ERR_EXISTS: return CLI_EXIT_REFUSED;
    case KT_ERR_NOTFOUND: return CLI_EXIT_NOTFOUND;
    default: return CLI_EXIT_ERROR;
    }
}
