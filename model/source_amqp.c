/*
 * source_amqp.c — the AMQP 0-9-1 source (RabbitMQ, through librabbitmq);
 * see source.h.  The only file that includes amqp.h.
 *
 * One connection, one channel (1), one consumer with manual
 * acknowledgements and a prefetch of at least the feeder's group.  A
 * channel numbers its deliveries 1, 2, 3, ... and the feeder settles them
 * in order, so "everything up to tag T" is one basic.ack with multiple
 * set, after the basic.nack (requeue = false) of the refused ones.  When
 * the connection goes — the broker restarted, a missed heartbeat, the
 * consumer cancelled, the channel closed — the broker gives every
 * unsettled delivery back to the queue; the source opens a new
 * connection (a new epoch: the old tags mean nothing on it) after a
 * capped exponential backoff with jitter.
 */
#include "source.h"

#include <amqp.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "store/xmalloc.h"

#define SOURCE_AMQP_CHANNEL	1
#define SOURCE_AMQP_FRAME_MAX	131072
#define SOURCE_AMQP_CONNECT_S	10	/* TCP + TLS handshake */
#define SOURCE_AMQP_BACKOFF_MS	100	/* first wait before a retry */
#define SOURCE_AMQP_BACKOFF_MAX	30000	/* the cap */
#define SOURCE_AMQP_ONCE_TRIES	5	/* --once: then give up (69) */
#define SOURCE_AMQP_LAG_MS	2000	/* ask the queue's depth this often */

struct source_amqp {
	struct source_amqp_opts o;
	char *url;			/* amqp_parse_url's copy (it points in) */
	struct amqp_connection_info ci;
	char *shown;			/* the broker for sentences, no secret */
	char *queue, *dead, *password, *cacert;
	amqp_connection_state_t conn;	/* NULL: not connected */
	uint64_t epoch;
	amqp_envelope_t env;
	int have_env;
	uint64_t delivered;		/* the last tag delivered, this epoch */
	uint64_t settled;		/* every tag up to it is settled */
	int64_t lag, lag_ms;		/* queue depth, and when asked */
	unsigned seed;
};

static enum source_rc source_amqp_next(void *self, struct source_msg *m,
    int wait_ms, struct ff_err *err);
static int source_amqp_settle(void *self, const struct source_msg *last,
    const uint64_t *bad, size_t nbad);
static void source_amqp_drop(void *self);
static int64_t source_amqp_lag(void *self);
static void source_amqp_close(void *self);
static int source_amqp_connect(struct source_amqp *s, struct ff_err *err);
static int source_amqp_reconnect(struct source_amqp *s, struct ff_err *err);
static void source_amqp_lost(struct source_amqp *s, const char *why);
static int source_amqp_reply(struct source_amqp *s, amqp_rpc_reply_t r,
    const char *doing, int at_login, struct ff_err *err);
static int source_amqp_depth(struct source_amqp *s, struct ff_err *err);
static void source_amqp_say(struct source_amqp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int64_t source_amqp_ms(void);

static const struct source_ops source_amqp_ops = {
	.next = source_amqp_next,
	.settle = source_amqp_settle,
	.drop = source_amqp_drop,
	.lag = source_amqp_lag,
	.close = source_amqp_close,
};

static int64_t
source_amqp_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
source_amqp_say(struct source_amqp *s, const char *fmt, ...)
{
	char buf[600];
	va_list ap;

	if (s->o.report == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->o.report(s->o.arg, buf);
}

/*
 * Turns an RPC's reply into FF_OK or a failure with a sentence.  A refusal
 * of the login or of the vhost is FF_AUTH; a missing queue FF_NOINPUT; a
 * queue declared otherwise FF_INVALID; anything else (the connection
 * itself) FF_UNREACHABLE, which the caller may retry.  A broker that
 * just drops the socket during the login (one without the
 * authentication_failure_close capability) is taken for a refused
 * password: it does that for nothing else.
 */
static int
source_amqp_reply(struct source_amqp *s, amqp_rpc_reply_t r, const char *doing,
    int at_login, struct ff_err *err)
{
	unsigned code = 0;
	amqp_bytes_t text = { 0, NULL };

	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL:
		return FF_OK;
	case AMQP_RESPONSE_NONE:
		return ff_fail(err, FF_UNREACHABLE, "%s: %s: no reply from the "
		    "broker", s->shown, doing);
	case AMQP_RESPONSE_LIBRARY_EXCEPTION:
		if (at_login && (r.library_error == AMQP_STATUS_CONNECTION_CLOSED ||
		    r.library_error == AMQP_STATUS_SOCKET_CLOSED))
			return ff_fail(err, FF_AUTH, "%s: the broker refused the "
			    "login of %s (wrong user or password; the password "
			    "is the first line of feeder.password_file)",
			    s->shown, s->ci.user);
		return ff_fail(err, FF_UNREACHABLE, "%s: %s: %s", s->shown,
		    doing, amqp_error_string2(r.library_error));
	case AMQP_RESPONSE_SERVER_EXCEPTION:
		if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
			amqp_connection_close_t *m = r.reply.decoded;

			code = m->reply_code;
			text = m->reply_text;
		} else if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
			amqp_channel_close_t *m = r.reply.decoded;

			code = m->reply_code;
			text = m->reply_text;
		}
		break;
	}
	if (code == AMQP_ACCESS_REFUSED || code == AMQP_NOT_ALLOWED)
		return ff_fail(err, FF_AUTH, "%s: the broker refused %s: %.*s",
		    s->shown, s->ci.user, (int)text.len, (const char *)text.bytes);
	if (code == AMQP_NOT_FOUND)
		return ff_fail(err, FF_NOINPUT, "%s: there is no queue %s (create "
		    "it, or run consume with --declare to have it made durable "
		    "with its dead-letter queue %s)", s->shown, s->queue, s->dead);
	if (code == AMQP_PRECONDITION_FAILED)
		return ff_fail(err, FF_INVALID, "%s: the queue %s exists with "
		    "other settings than --declare gives it (%.*s); declare it "
		    "yourself with a dead-letter exchange, or delete it first",
		    s->shown, s->queue, (int)text.len, (const char *)text.bytes);
	return ff_fail(err, FF_UNREACHABLE, "%s: %s: the broker said %u %.*s",
	    s->shown, doing, code, (int)text.len, (const char *)text.bytes);
}

/* Asks the queue's depth (a passive declare): FF_OK with s->lag set. */
static int
source_amqp_depth(struct source_amqp *s, struct ff_err *err)
{
	amqp_queue_declare_ok_t *ok;

	ok = amqp_queue_declare(s->conn, SOURCE_AMQP_CHANNEL,
	    amqp_cstring_bytes(s->queue), 1, 0, 0, 0, amqp_empty_table);
	if (ok == NULL)
		return source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
		    "looking at the queue", 0, err);
	s->lag = (int64_t)ok->message_count;
	s->lag_ms = source_amqp_ms();
	return FF_OK;
}

/* One try: socket, login, channel, queue, qos, consume. */
static int
source_amqp_connect(struct source_amqp *s, struct ff_err *err)
{
	struct timeval tv = { SOURCE_AMQP_CONNECT_S, 0 };
	amqp_socket_t *sock;
	int rc, st;

	s->conn = amqp_new_connection();
	/* A broker that accepts the connection and then says nothing (a
	 * stopped one: the kernel still accepts) must not hang us. */
	amqp_set_handshake_timeout(s->conn, &tv);
	amqp_set_rpc_timeout(s->conn, &tv);
	if (s->ci.ssl) {
		if ((sock = amqp_ssl_socket_new(s->conn)) == NULL) {
			rc = ff_fail(err, FF_INTERNAL, "%s: cannot make a TLS "
			    "socket", s->shown);
			goto fail;
		}
		amqp_ssl_socket_set_verify_peer(sock, 1);
		amqp_ssl_socket_set_verify_hostname(sock, 1);
		if (s->cacert != NULL) {
			if (amqp_ssl_socket_set_cacert(sock, s->cacert) !=
			    AMQP_STATUS_OK) {
				rc = ff_fail(err, FF_IO, "%s: cannot read the CA "
				    "certificates (feeder.cacert)", s->cacert);
				goto fail;
			}
		} else {
			/* The system's trusted CAs, as a browser would. */
			SSL_CTX_set_default_verify_paths(
			    amqp_ssl_socket_get_context(sock));
		}
	} else if ((sock = amqp_tcp_socket_new(s->conn)) == NULL) {
		rc = ff_fail(err, FF_INTERNAL, "%s: cannot make a socket",
		    s->shown);
		goto fail;
	}
	if ((st = amqp_socket_open_noblock(sock, s->ci.host, s->ci.port,
	    &tv)) != AMQP_STATUS_OK) {
		rc = ff_fail(err, FF_UNREACHABLE, "%s: cannot reach the broker: "
		    "%s", s->shown, amqp_error_string2(st));
		goto fail;
	}
	/* Asks to be told (basic.cancel) when the queue goes away, instead
	 * of waiting for deliveries that will never come; and to have a
	 * refused login said (connection.close 403) rather than the socket
	 * dropped. */
	{
		amqp_table_entry_t caps[2] = {
			{ amqp_cstring_bytes("consumer_cancel_notify"),
			    { .kind = AMQP_FIELD_KIND_BOOLEAN,
			    .value.boolean = 1 } },
			{ amqp_cstring_bytes("authentication_failure_close"),
			    { .kind = AMQP_FIELD_KIND_BOOLEAN,
			    .value.boolean = 1 } },
		};
		amqp_table_entry_t props[2] = {
			{ amqp_cstring_bytes("capabilities"),
			    { .kind = AMQP_FIELD_KIND_TABLE,
			    .value.table = { 2, caps } } },
			{ amqp_cstring_bytes("connection_name"),
			    { .kind = AMQP_FIELD_KIND_UTF8,
			    .value.bytes = amqp_cstring_bytes("fundflow consume") } },
		};
		amqp_table_t client = { 2, props };

		if ((rc = source_amqp_reply(s, amqp_login_with_properties(
		    s->conn, s->ci.vhost, 0, SOURCE_AMQP_FRAME_MAX,
		    s->o.heartbeat_s, &client, AMQP_SASL_METHOD_PLAIN,
		    s->ci.user, s->password != NULL ? s->password : ""),
		    "logging in", 1, err)) != FF_OK)
			goto fail;
	}
	amqp_channel_open(s->conn, SOURCE_AMQP_CHANNEL);
	if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
	    "opening a channel", 0, err)) != FF_OK)
		goto fail;
	if (s->o.declare) {
		amqp_table_entry_t dlx = { amqp_cstring_bytes(
		    "x-dead-letter-exchange"), { .kind = AMQP_FIELD_KIND_UTF8,
		    .value.bytes = amqp_cstring_bytes(s->dead) } };
		amqp_table_t args = { 1, &dlx };

		/* NAME.dead: a fanout exchange and its durable queue; the
		 * queue itself durable, its refused messages sent there. */
		amqp_exchange_declare(s->conn, SOURCE_AMQP_CHANNEL,
		    amqp_cstring_bytes(s->dead), amqp_cstring_bytes("fanout"),
		    0, 1, 0, 0, amqp_empty_table);
		if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
		    "declaring the dead-letter exchange", 0, err)) != FF_OK)
			goto fail;
		amqp_queue_declare(s->conn, SOURCE_AMQP_CHANNEL,
		    amqp_cstring_bytes(s->dead), 0, 1, 0, 0, amqp_empty_table);
		if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
		    "declaring the dead-letter queue", 0, err)) != FF_OK)
			goto fail;
		amqp_queue_bind(s->conn, SOURCE_AMQP_CHANNEL,
		    amqp_cstring_bytes(s->dead), amqp_cstring_bytes(s->dead),
		    amqp_cstring_bytes(""), amqp_empty_table);
		if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
		    "binding the dead-letter queue", 0, err)) != FF_OK)
			goto fail;
		amqp_queue_declare(s->conn, SOURCE_AMQP_CHANNEL,
		    amqp_cstring_bytes(s->queue), 0, 1, 0, 0, args);
		if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
		    "declaring the queue", 0, err)) != FF_OK)
			goto fail;
	}
	if ((rc = source_amqp_depth(s, err)) != FF_OK)
		goto fail;
	amqp_basic_qos(s->conn, SOURCE_AMQP_CHANNEL, 0,
	    (uint16_t)s->o.prefetch, 0);
	if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
	    "setting the prefetch", 0, err)) != FF_OK)
		goto fail;
	amqp_basic_consume(s->conn, SOURCE_AMQP_CHANNEL,
	    amqp_cstring_bytes(s->queue), amqp_empty_bytes, 0, 0, 0,
	    amqp_empty_table);
	if ((rc = source_amqp_reply(s, amqp_get_rpc_reply(s->conn),
	    "starting to consume", 0, err)) != FF_OK)
		goto fail;
	s->epoch++;
	s->delivered = s->settled = 0;
	return FF_OK;
fail:
	amqp_destroy_connection(s->conn);
	s->conn = NULL;
	return rc;
}

/*
 * Connects, retrying what may pass (the broker away or starting) after
 * 100 ms, 200 ms, ... up to 30 s, each wait between half and all of its
 * step (so that many feeders do not come back in step); --once gives up
 * after a few tries.  A refusal is final.
 */
static int
source_amqp_reconnect(struct source_amqp *s, struct ff_err *err)
{
	int64_t step = SOURCE_AMQP_BACKOFF_MS;
	int tries = 0, rc;

	for (;;) {
		int64_t wait, until;

		if (s->o.stop != NULL && *s->o.stop)
			return ff_fail(err, FF_UNREACHABLE, "%s: stopped before "
			    "the broker could be reached", s->shown);
		if ((rc = source_amqp_connect(s, err)) == FF_OK) {
			if (tries > 0 || s->epoch > 1)
				source_amqp_say(s, "connected to %s again; "
				    "consuming %s", s->shown, s->queue);
			return FF_OK;
		}
		if (rc != FF_UNREACHABLE)
			return rc;
		if (++tries >= SOURCE_AMQP_ONCE_TRIES && s->o.once) {
			size_t l = strlen(err->msg);

			snprintf(err->msg + l, sizeof(err->msg) - l,
			    " (gave up after %d tries)", tries);
			return rc;
		}
		wait = step / 2 + (int64_t)(rand_r(&s->seed) % (step / 2 + 1));
		source_amqp_say(s, "%s; trying again in %.1f s", err->msg,
		    (double)wait / 1000);
		until = source_amqp_ms() + wait;
		while (source_amqp_ms() < until &&
		    !(s->o.stop != NULL && *s->o.stop))
			poll(NULL, 0, 50);
		step = step * 2 > SOURCE_AMQP_BACKOFF_MAX ?
		    SOURCE_AMQP_BACKOFF_MAX : step * 2;
	}
}

/* The connection is gone or unusable: drop it; the broker gives the
 * unsettled deliveries back to the queue. */
static void
source_amqp_lost(struct source_amqp *s, const char *why)
{
	if (s->have_env) {
		amqp_destroy_envelope(&s->env);
		s->have_env = 0;
	}
	if (s->conn == NULL)
		return;
	source_amqp_say(s, "lost the broker at %s (%s); %llu unsettled "
	    "messages go back to the queue; reconnecting", s->shown, why,
	    (unsigned long long)(s->delivered - s->settled));
	amqp_destroy_connection(s->conn);
	s->conn = NULL;
}

static enum source_rc
source_amqp_next(void *self, struct source_msg *m, int wait_ms,
    struct ff_err *err)
{
	struct source_amqp *s = self;
	char why[300];

	if (s->have_env) {
		amqp_destroy_envelope(&s->env);
		s->have_env = 0;
	}
	for (;;) {
		struct timeval tv = { wait_ms / 1000, (wait_ms % 1000) * 1000 };
		amqp_rpc_reply_t r;
		amqp_frame_t f;

		if (s->conn == NULL) {
			/* Mid-group (wait 0): let the feeder commit what it
			 * holds first; it asks again with a wait. */
			if (wait_ms == 0)
				return SOURCE_NONE;
			if (source_amqp_reconnect(s, err) != FF_OK)
				return s->o.stop != NULL && *s->o.stop ?
				    SOURCE_NONE : SOURCE_FAILED;
		}
		amqp_maybe_release_buffers(s->conn);
		r = amqp_consume_message(s->conn, &s->env, &tv, 0);
		if (r.reply_type == AMQP_RESPONSE_NORMAL) {
			amqp_basic_properties_t *p = &s->env.message.properties;

			s->have_env = 1;
			s->delivered = s->env.delivery_tag;
			m->body = s->env.message.body.bytes;
			m->len = s->env.message.body.len;
			m->tag = s->env.delivery_tag;
			m->epoch = s->epoch;
			m->id[0] = '\0';
			if (p->_flags & AMQP_BASIC_MESSAGE_ID_FLAG)
				snprintf(m->id, sizeof(m->id), "%.*s",
				    (int)p->message_id.len,
				    (const char *)p->message_id.bytes);
			return SOURCE_MSG;
		}
		if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
		    r.library_error == AMQP_STATUS_TIMEOUT) {
			if (wait_ms == 0 || s->delivered != s->settled)
				return SOURCE_NONE;
			/* --once, quiet, nothing in hand: is the queue empty?
			 * A declare-ok comes after every delivery the broker
			 * sent before it (one channel, in order), and any
			 * such delivery waits in librabbitmq's frame queue. */
			if (s->o.once) {
				if (source_amqp_depth(s, err) != FF_OK) {
					if (err->rc == FF_NOINPUT)
						return SOURCE_FAILED;
					source_amqp_lost(s, err->msg);
					continue;
				}
				if (s->lag == 0 && !amqp_frames_enqueued(s->conn) &&
				    !amqp_data_in_buffer(s->conn))
					return SOURCE_DRAINED;
			}
			return SOURCE_NONE;
		}
		if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
		    r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
			/* Not a delivery: see what came instead. */
			struct timeval zero = { 0, 0 };

			if (amqp_simple_wait_frame_noblock(s->conn, &f, &zero) !=
			    AMQP_STATUS_OK) {
				source_amqp_lost(s, "the connection broke");
				continue;
			}
			if (f.frame_type != AMQP_FRAME_METHOD)
				continue;
			switch (f.payload.method.id) {
			case AMQP_BASIC_ACK_METHOD:
			case AMQP_BASIC_RETURN_METHOD:
				continue;
			case AMQP_BASIC_CANCEL_METHOD:
				source_amqp_lost(s, "the broker cancelled the "
				    "consumer: the queue was deleted or moved");
				continue;
			case AMQP_CHANNEL_CLOSE_METHOD: {
				amqp_channel_close_t *c = f.payload.method.decoded;

				snprintf(why, sizeof(why), "the broker closed the "
				    "channel: %u %.*s", c->reply_code,
				    (int)c->reply_text.len,
				    (const char *)c->reply_text.bytes);
				source_amqp_lost(s, why);
				continue;
			}
			case AMQP_CONNECTION_CLOSE_METHOD: {
				amqp_connection_close_t *c =
				    f.payload.method.decoded;

				snprintf(why, sizeof(why), "the broker closed the "
				    "connection: %u %.*s", c->reply_code,
				    (int)c->reply_text.len,
				    (const char *)c->reply_text.bytes);
				source_amqp_lost(s, why);
				continue;
			}
			default:
				continue;
			}
		}
		snprintf(why, sizeof(why), "%s",
		    r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION ?
		    amqp_error_string2(r.library_error) : "unexpected reply");
		source_amqp_lost(s, why);
	}
}

static int
source_amqp_settle(void *self, const struct source_msg *last,
    const uint64_t *bad, size_t nbad)
{
	struct source_amqp *s = self;
	uint64_t upto = last->tag;
	int st = AMQP_STATUS_OK;

	if (s->conn == NULL || last->epoch != s->epoch)
		return -1;	/* they come again, as duplicates */
	for (size_t i = 0; i < nbad && st == AMQP_STATUS_OK; i++)
		st = amqp_basic_nack(s->conn, SOURCE_AMQP_CHANNEL, bad[i], 0, 0);
	/* Acknowledge up to the last tag not refused: a tag settled twice
	 * would make the broker close the channel. */
	for (int moved = 1; moved && upto > s->settled;) {
		moved = 0;
		for (size_t i = 0; i < nbad; i++)
			if (bad[i] == upto) {
				upto--;
				moved = 1;
				break;
			}
	}
	if (st == AMQP_STATUS_OK && upto > s->settled)
		st = amqp_basic_ack(s->conn, SOURCE_AMQP_CHANNEL, upto, 1);
	if (st != AMQP_STATUS_OK) {
		source_amqp_lost(s, amqp_error_string2(st));
		return -1;
	}
	s->settled = last->tag;
	/* The queue's depth for the status line, now and then (a busy
	 * consumer is never idle long enough to ask in source_amqp_next). */
	if (source_amqp_ms() - s->lag_ms >= SOURCE_AMQP_LAG_MS) {
		struct ff_err e;

		if (source_amqp_depth(s, &e) != FF_OK)
			source_amqp_lost(s, e.msg);
	}
	return 0;
}

static void
source_amqp_drop(void *self)
{
	source_amqp_lost(self, "fundflow gave the messages back");
}

static int64_t
source_amqp_lag(void *self)
{
	struct source_amqp *s = self;

	return s->lag;
}

static void
source_amqp_close(void *self)
{
	struct source_amqp *s = self;

	if (s == NULL)
		return;
	if (s->have_env)
		amqp_destroy_envelope(&s->env);
	if (s->conn != NULL) {
		amqp_channel_close(s->conn, SOURCE_AMQP_CHANNEL,
		    AMQP_REPLY_SUCCESS);
		amqp_connection_close(s->conn, AMQP_REPLY_SUCCESS);
		amqp_destroy_connection(s->conn);
	}
	if (s->password != NULL) {
		explicit_bzero(s->password, strlen(s->password));
		free(s->password);
	}
	free(s->url);
	free(s->shown);
	free(s->queue);
	free(s->dead);
	free(s->cacert);
	free(s);
}

int
source_amqp_open(const struct source_amqp_opts *o, struct source *out,
    struct ff_err *err)
{
	struct source_amqp *s = xcalloc(1, sizeof(*s));
	int rc;

	out->ops = NULL;
	out->self = NULL;
	s->o = *o;
	s->url = xstrdup(o->url);
	s->lag = -1;
	s->seed = (unsigned)getpid() ^ (unsigned)source_amqp_ms();
	amqp_default_connection_info(&s->ci);
	if (amqp_parse_url(s->url, &s->ci) != AMQP_STATUS_OK) {
		rc = ff_fail(err, FF_INVALID, "%s: not a broker URL (amqp://"
		    "USER@HOST:PORT/VHOST or amqps://...)", o->url);
		source_amqp_close(s);
		return rc;
	}
	/* The vhost as a URL writes it: "/ff" is %2Fff, "/" is nothing. */
	s->shown = xasprintf("%s://%s@%s:%d%s%s%s", s->ci.ssl ? "amqps" : "amqp",
	    s->ci.user, s->ci.host, s->ci.port,
	    strcmp(s->ci.vhost, "/") == 0 ? "" : "/",
	    s->ci.vhost[0] == '/' && s->ci.vhost[1] != '\0' ? "%2F" : "",
	    s->ci.vhost[0] == '/' ? s->ci.vhost + 1 : s->ci.vhost);
	s->queue = xstrdup(o->queue);
	s->dead = xasprintf("%s.dead", o->queue);
	s->password = o->password != NULL ? xstrdup(o->password) : NULL;
	s->cacert = o->cacert != NULL ? xstrdup(o->cacert) : NULL;
	s->o.password = NULL;
	if ((rc = source_amqp_reconnect(s, err)) != FF_OK) {
		source_amqp_close(s);
		return rc;
	}
	out->ops = &source_amqp_ops;
	out->self = s;
	return FF_OK;
}
