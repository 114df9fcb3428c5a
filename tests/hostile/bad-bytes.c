/* SPDX-License-Identifier: MIT */
/* Attack on the host side: output that breaks naive readers. Writes invalid UTF-8 (a lone
 * continuation byte, an overlong '/', a UTF-16 surrogate, 0xff), NUL bytes and ANSI escape
 * sequences (clear screen, set the window title, a hyperlink, cursor moves) to stdout and
 * stderr, and exits 0. The record must stay valid JSON and the bytes must pass unchanged. */
#include <unistd.h>

static const char payload[] = "bad:\x80\xc0\xaf\xed\xa0\x80\xff\xfe|nul:\0\0x|"
                              "ansi:\x1b[2J\x1b]0;pwned-title\x07\x1b]8;;http://x/\x1b\\link"
                              "\x1b]8;;\x1b\\\x1b[1;1H\x1b[31mred\x1b[0m\r\b|end\n";

int main(void)
{
        size_t n = sizeof(payload) - 1;
        return write(1, payload, n) < 0 || write(2, payload, n) < 0;
}
