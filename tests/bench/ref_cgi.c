/*
 * ref_cgi.c: the benchmarks' reference for starting a process: the least
 * a CGI program can do, one write of a header and a body.
 */
#include <unistd.h>

int
main(void)
{
	static const char answer[] =
	    "Status: 404 Not Found\r\nContent-Type: application/json\r\n"
	    "Content-Length: 22\r\n\r\n{\"detail\":\"Not Found\"}";

	return write(STDOUT_FILENO, answer, sizeof(answer) - 1) ==
	    (ssize_t)(sizeof(answer) - 1) ? 0 : 1;
}
