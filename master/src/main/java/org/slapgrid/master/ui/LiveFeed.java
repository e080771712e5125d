package org.slapgrid.master.ui;

import io.javalin.http.sse.SseClient;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.slapgrid.master.auth.Principal;
import org.slapgrid.master.service.WebViews;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live updates of the UI over server-sent events. The source is the audit table: every change
 * (request, state report, bang, publication, supply, software report) appends a row there in its
 * own transaction, so tailing it sees what any master sharing the database did. One tailer
 * thread reads new rows (at once when this master's change listener pokes it, else every
 * {@code period}) and hands each to the clients allowed to see it.
 *
 * <p>Each client has a bounded queue and its own sender thread: a slow or stalled browser blocks
 * only its own sender, never the tailer nor the master. When a client's queue is full, its queued
 * events are dropped and replaced by a single {@code change} event (resync): the page then
 * re-reads its live regions, so it misses nothing it shows.
 */
final class LiveFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
    /** Rows committed late (an earlier {@code at}, a slower transaction) are still seen within this window. */
    private static final long LATE_COMMIT_WINDOW_MS = 5_000;
    static final int QUEUE_CAPACITY = 64;
    static final int MAX_CLIENTS = 256;

    /** An event for the browser: htmx-ext-sse swaps {@code data} into the elements listening to {@code name}. */
    record Event(String name, String data) {
    }

    private final WebViews views;
    private final BiFunction<Principal, WebViews.AuditEntry, String> render;
    private final long periodMs;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private final Object wake = new Object();
    private final Thread tailer;
    private volatile boolean closed;
    private boolean poked;

    /** {@code render} turns an audit entry into the HTML of one activity line for a user. */
    LiveFeed(WebViews views, BiFunction<Principal, WebViews.AuditEntry, String> render, long periodMs) {
        this.views = views;
        this.render = render;
        this.periodMs = periodMs;
        this.tailer = new Thread(this::tail, "slapgrid-ui-live");
        this.tailer.setDaemon(true);
        this.tailer.start();
    }

    /** Called after a change commits in this master: read the new rows now rather than at the next period. */
    void poke() {
        synchronized (wake) {
            poked = true;
            wake.notifyAll();
        }
    }

    /**
     * A node reported an instance's status tree (services, promises): the pages of the users who
     * see that instance re-read their live regions. Status reports write no audit row (a node
     * sends one whenever a service or promise changes), so the tailer never sees them;
     * they come from this master's own API only, and a page served by another master sharing the
     * database shows them at its next change.
     */
    void statusReported(String instanceId, String owner) {
        for (Client c : clients) {
            if (c.user.admin() || c.user.subject().equals(owner)) {
                c.offer(new Event("change", "instance.status"));
            }
        }
    }

    /** Adopts an SSE connection of {@code user}; false (and the connection closed) when there are too many. */
    boolean add(Principal user, SseClient sse) {
        if (clients.size() >= MAX_CLIENTS) {
            sse.close();
            return false;
        }
        Client c = new Client(user, sse);
        clients.add(c);
        sse.onClose(() -> c.stop());
        sse.keepAlive();
        c.start();
        return true;
    }

    int clients() {
        return clients.size();
    }

    /** How many times a client's queue overflowed and was resynchronised, over the clients connected now. */
    long drops() {
        return clients.stream().mapToLong(c -> c.queue.drops()).sum();
    }

    private void tail() {
        long since = System.currentTimeMillis();
        Set<String> seen = new HashSet<>();
        Deque<Seen> seenOrder = new ArrayDeque<>(); // to forget the ids that left the window
        while (!closed) {
            synchronized (wake) {
                if (!poked) {
                    try {
                        wake.wait(periodMs);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                poked = false;
            }
            if (clients.isEmpty()) {
                since = System.currentTimeMillis() - LATE_COMMIT_WINDOW_MS;
                continue;
            }
            try {
                long from = since - LATE_COMMIT_WINDOW_MS;
                for (WebViews.OwnedEntry e : views.auditSince(from, 500)) {
                    if (!seen.add(e.entry().id())) {
                        continue;
                    }
                    seenOrder.add(new Seen(e.entry().id(), e.entry().at()));
                    since = Math.max(since, e.entry().at());
                    publish(e);
                }
                while (!seenOrder.isEmpty() && seenOrder.peek().at() < since - 2 * LATE_COMMIT_WINDOW_MS) {
                    seen.remove(seenOrder.poll().id());
                }
            } catch (RuntimeException ex) {
                LOG.warn("live feed: cannot read the audit table: {}", ex.toString());
            }
        }
    }

    private record Seen(String id, long at) {
    }

    private void publish(WebViews.OwnedEntry e) {
        for (Client c : clients) {
            if (e.entry().at() < c.since) {
                continue; // older than the browser's page, which already shows it
            }
            Principal u = c.user;
            boolean visible = u.admin() || u.actor().equals(e.entry().actor()) || u.subject().equals(e.owner());
            if (!visible) {
                continue;
            }
            c.offer(new Event("activity", render.apply(u, e.entry())));
            c.offer(new Event("change", e.entry().action()));
        }
    }

    @Override
    public void close() {
        closed = true;
        tailer.interrupt();
        clients.forEach(Client::stop);
    }

    /** One browser: its queue and its sender thread. */
    private final class Client {
        final Principal user;
        final SseClient sse;
        final EventQueue queue = new EventQueue(QUEUE_CAPACITY);
        final long since = System.currentTimeMillis();
        final Thread sender;
        volatile boolean stopped;

        Client(Principal user, SseClient sse) {
            this.user = user;
            this.sse = sse;
            this.sender = new Thread(this::send, "slapgrid-ui-sse");
            this.sender.setDaemon(true);
        }

        void start() {
            sender.start();
        }

        void offer(Event e) {
            queue.offer(e);
        }

        private void send() {
            try {
                sse.sendEvent("hello", "live");
                while (!stopped && !sse.terminated()) {
                    Event e = queue.poll(15);
                    if (e == null) {
                        sse.sendComment("keep-alive"); // also finds a browser that went away
                    } else {
                        sse.sendEvent(e.name(), e.data());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.debug("live client gone: {}", e.toString());
            } finally {
                stop();
            }
        }

        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            clients.remove(this);
            sender.interrupt();
            try {
                sse.close();
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }
}
