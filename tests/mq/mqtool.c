/*
 * mqtool.c — the broker tests' publisher and reader (librabbitmq), so
 * that 20,000 messages do not take 20,000 processes of amqp-publish.
 *
 *   mqtool publish URL QUEUE PASSWORD_FILE [RATE] < LINES
 *       one message per input line, persistent, with message_id "mN"
 *       (N = the line number); a 0x1f byte in a line becomes a newline
 *       of the body (a message of several events).  Publisher confirms:
 *       exits 0 only once the broker has confirmed every message.  RATE
 *       (messages/s) paces the publishing and stamps each message with
 *       the header x-sent-us (CLOCK_REALTIME, microseconds), and prints
 *       "N US" per message on stdout.
 *   mqtool count URL QUEUE PASSWORD_FILE
 *       prints the queue's ready messages and consumers ("N C"), from a
 *       passive declare; exits 3 when there is no such queue.
 *   mqtool drain URL QUEUE PASSWORD_FILE
 *       takes every message off the queue (basic.get, acknowledged) and
 *       prints each body on one line, newlines as 0x1f, then exits.
 *
 * Test tool, not part of fundflow: failures print one line and exit 1.
 */
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void mqtool_die(const char *what, amqp_rpc_reply_t r)
    __attribute__((noreturn));
static amqp_connection_state_t mqtool_connect(const char *url,
    const char *pwfile);
static int mqtool_publish(amqp_connection_state_t c, const char *queue,
    double rate);
static int mqtool_drain(amqp_connection_state_t c, const char *queue);
static int64_t mqtool_us(void);

static void
mqtool_die(const char *what, amqp_rpc_reply_t r)
{
	if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION)
		fprintf(stderr, "mqtool: %s: %s\n", what,
		    amqp_error_string2(r.library_error));
	else if (r.reply_type == AMQP_RESPONSE_SERVER_EXCEPTION &&
	    r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
		amqp_channel_close_t *m = r.reply.decoded;

		fprintf(stderr, "mqtool: %s: %u %.*s\n", what, m->reply_code,
		    (int)m->reply_text.len, (char *)m->reply_text.bytes);
	} else
		fprintf(stderr, "mqtool: %s: failed (%d)\n", what,
		    (int)r.reply_type);
	exit(1);
}

static int64_t
mqtool_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static amqp_connection_state_t
mqtool_connect(const char *url, const char *pwfile)
{
	struct amqp_connection_info ci;
	amqp_connection_state_t c = amqp_new_connection();
	amqp_socket_t *s = amqp_tcp_socket_new(c);
	char *u = strdup(url), pw[256] = "";
	FILE *f = fopen(pwfile, "r");

	if (f == NULL || fgets(pw, sizeof(pw), f) == NULL) {
		fprintf(stderr, "mqtool: cannot read %s\n", pwfile);
		exit(1);
	}
	fclose(f);
	pw[strcspn(pw, "\r\n")] = '\0';
	amqp_default_connection_info(&ci);
	if (amqp_parse_url(u, &ci) != AMQP_STATUS_OK) {
		fprintf(stderr, "mqtool: bad URL %s\n", url);
		exit(1);
	}
	if (amqp_socket_open(s, ci.host, ci.port) != AMQP_STATUS_OK) {
		fprintf(stderr, "mqtool: cannot reach %s\n", url);
		exit(1);
	}
	amqp_rpc_reply_t r = amqp_login(c, ci.vhost, 0, 131072, 0,
	    AMQP_SASL_METHOD_PLAIN, ci.user, pw);
	if (r.reply_type != AMQP_RESPONSE_NORMAL)
		mqtool_die("login", r);
	amqp_channel_open(c, 1);
	if ((r = amqp_get_rpc_reply(c)).reply_type != AMQP_RESPONSE_NORMAL)
		mqtool_die("channel", r);
	free(u);
	return c;
}

/* Waits for the broker's confirms up to tag (basic.ack, multiple). */
static void
mqtool_confirmed(amqp_connection_state_t c, uint64_t want, uint64_t *have)
{
	while (*have < want) {
		amqp_frame_t f;

		if (amqp_simple_wait_frame(c, &f) != AMQP_STATUS_OK) {
			fprintf(stderr, "mqtool: lost the broker\n");
			exit(1);
		}
		if (f.frame_type != AMQP_FRAME_METHOD)
			continue;
		if (f.payload.method.id == AMQP_BASIC_ACK_METHOD) {
			amqp_basic_ack_t *a = f.payload.method.decoded;

			if (a->delivery_tag > *have)
				*have = a->delivery_tag;
		} else if (f.payload.method.id == AMQP_BASIC_NACK_METHOD) {
			fprintf(stderr, "mqtool: the broker refused a message\n");
			exit(1);
		} else if (f.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
		    f.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD) {
			fprintf(stderr, "mqtool: the broker closed the channel\n");
			exit(1);
		}
	}
}

static int
mqtool_publish(amqp_connection_state_t c, const char *queue, double rate)
{
	char *line = NULL, id[32];
	size_t cap = 0;
	ssize_t n;
	uint64_t sent = 0, acked = 0;
	int64_t t0 = mqtool_us();

	amqp_confirm_select(c, 1);
	if (amqp_get_rpc_reply(c).reply_type != AMQP_RESPONSE_NORMAL)
		mqtool_die("confirm.select", amqp_get_rpc_reply(c));
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		amqp_basic_properties_t p;
		amqp_table_entry_t h;
		amqp_bytes_t body;

		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		for (ssize_t i = 0; i < n; i++)
			if (line[i] == 0x1f)
				line[i] = '\n';
		memset(&p, 0, sizeof(p));
		p._flags = AMQP_BASIC_DELIVERY_MODE_FLAG |
		    AMQP_BASIC_MESSAGE_ID_FLAG;
		p.delivery_mode = 2;
		snprintf(id, sizeof(id), "m%llu", (unsigned long long)sent + 1);
		p.message_id = amqp_cstring_bytes(id);
		if (rate > 0) {
			int64_t due = t0 + (int64_t)((double)sent * 1e6 / rate);
			int64_t now = mqtool_us();

			if (due > now)
				usleep((useconds_t)(due - now));
			h.key = amqp_cstring_bytes("x-sent-us");
			h.value.kind = AMQP_FIELD_KIND_I64;
			h.value.value.i64 = mqtool_us();
			p._flags |= AMQP_BASIC_HEADERS_FLAG;
			p.headers.num_entries = 1;
			p.headers.entries = &h;
			printf("%llu %lld\n", (unsigned long long)sent + 1,
			    (long long)h.value.value.i64);
		}
		body.len = (size_t)n;
		body.bytes = line;
		if (amqp_basic_publish(c, 1, amqp_empty_bytes,
		    amqp_cstring_bytes(queue), 1, 0, &p, body) != AMQP_STATUS_OK) {
			fprintf(stderr, "mqtool: cannot publish\n");
			return 1;
		}
		sent++;
		/* Keep the unconfirmed window bounded. */
		if (sent - acked > 2000)
			mqtool_confirmed(c, sent - 1000, &acked);
	}
	mqtool_confirmed(c, sent, &acked);
	free(line);
	fprintf(stderr, "mqtool: published %llu\n", (unsigned long long)sent);
	return 0;
}

static int
mqtool_drain(amqp_connection_state_t c, const char *queue)
{
	unsigned long long got = 0;

	for (;;) {
		amqp_rpc_reply_t r = amqp_basic_get(c, 1,
		    amqp_cstring_bytes(queue), 0);
		amqp_message_t m;

		if (r.reply_type != AMQP_RESPONSE_NORMAL)
			mqtool_die("basic.get", r);
		if (r.reply.id == AMQP_BASIC_GET_EMPTY_METHOD)
			break;
		amqp_basic_get_ok_t *ok = r.reply.decoded;
		uint64_t tag = ok->delivery_tag;

		if ((r = amqp_read_message(c, 1, &m, 0)).reply_type !=
		    AMQP_RESPONSE_NORMAL)
			mqtool_die("read", r);
		for (size_t i = 0; i < m.body.len; i++) {
			char ch = ((char *)m.body.bytes)[i];

			putchar(ch == '\n' ? 0x1f : ch);
		}
		putchar('\n');
		amqp_destroy_message(&m);
		amqp_basic_ack(c, 1, tag, 0);
		amqp_maybe_release_buffers(c);
		got++;
	}
	fprintf(stderr, "mqtool: drained %llu\n", got);
	return 0;
}

static int
mqtool_count(amqp_connection_state_t c, const char *queue)
{
	amqp_queue_declare_ok_t *ok = amqp_queue_declare(c, 1,
	    amqp_cstring_bytes(queue), 1, 0, 0, 0, amqp_empty_table);

	if (ok == NULL)
		return 3;
	printf("%u %u\n", ok->message_count, ok->consumer_count);
	return 0;
}

int
main(int argc, char **argv)
{
	amqp_connection_state_t c;
	int rc;

	if (argc < 5 || (strcmp(argv[1], "publish") != 0 &&
	    strcmp(argv[1], "drain") != 0 && strcmp(argv[1], "count") != 0)) {
		fprintf(stderr, "usage: mqtool publish|drain|count URL QUEUE "
		    "PASSWORD_FILE [RATE]\n");
		return 2;
	}
	c = mqtool_connect(argv[2], argv[4]);
	if (strcmp(argv[1], "count") == 0) {
		if ((rc = mqtool_count(c, argv[3])) != 0) {
			amqp_destroy_connection(c);
			return rc;
		}
	} else
		rc = strcmp(argv[1], "publish") == 0 ?
		    mqtool_publish(c, argv[3], argc > 5 ? atof(argv[5]) : 0) :
		    mqtool_drain(c, argv[3]);
	amqp_channel_close(c, 1, AMQP_REPLY_SUCCESS);
	amqp_connection_close(c, AMQP_REPLY_SUCCESS);
	amqp_destroy_connection(c);
	return rc;
}
