/* What an sd_notify datagram says (notify_msg.c): STATUS= text is shown
 * by `initctl status` as it is, so nothing a terminal acts on may stay in
 * it, C1 controls in UTF-8 (U+009B, CSI) included; text is kept whole. */
#include <string.h>

#include "harness.h"
#include "notify.h"

static const char *status_of(const char *datagram)
{
	static struct notify_msg m;

	if (notify_parse(datagram, (unsigned)strlen(datagram), &m) < 0 || !m.has_status)
		return "(refused)";
	return m.status;
}

TEST(plain_text_and_utf8_are_kept)
{
	CHECK_STR(status_of("STATUS=Serving \"all\" \\ caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"),
		  "Serving \"all\" \\ caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80");
	CHECK_STR(status_of("STATUS=nbsp\xc2\xa0."), "nbsp\xc2\xa0.");
}

TEST(c0_and_del_become_question_marks)
{
	CHECK_STR(status_of("STATUS=a\x1b[31mb\x7f\tc"), "a?[31mb??c");
}

TEST(c1_controls_become_question_marks)
{
	CHECK_STR(status_of("STATUS=a\xc2\x9b"
			    "31mRED\xc2\x9b"
			    "0m"),
		  "a??31mRED??0m");
	CHECK_STR(status_of("STATUS=raw\x9b"
			    "31m"),
		  "raw?31m");
	CHECK_STR(status_of("STATUS=\xc2\x85\xc2\x9f"), "????");
}

TEST(invalid_utf8_becomes_question_marks)
{
	CHECK_STR(status_of("STATUS=\xff\xfe\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80 \xe2\x9c"), "??????????? ??");
}

TEST(cut_to_fit_never_inside_a_character)
{
	char dg[8 + 3 * NOTIFY_STATUS_SIZE] = "STATUS=";
	size_t k, n;

	for (k = 0; k < NOTIFY_STATUS_SIZE; k++)
		strcat(dg, "\xe2\x9c\x93");
	n = strlen(status_of(dg));
	CHECK(n < NOTIFY_STATUS_SIZE && n % 3 == 0 && n >= NOTIFY_STATUS_SIZE - 3);
}

RUN_TESTS("notify_msg", T(plain_text_and_utf8_are_kept), T(c0_and_del_become_question_marks),
	  T(c1_controls_become_question_marks), T(invalid_utf8_becomes_question_marks),
	  T(cut_to_fit_never_inside_a_character))
