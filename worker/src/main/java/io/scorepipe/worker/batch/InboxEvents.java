package io.scorepipe.worker.batch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.scorepipe.worker.system.Rounds;

/**
 * Looks at the inbox as soon as the file system says a file or a model folder appeared in it, so
 * that a finished file moved in is claimed at once rather than at the next scheduled look. The
 * scheduled look stays: it is what settles files written in place, and the only look where the
 * file system reports nothing (some network mounts and container volumes). A failure here costs
 * only that immediacy: it is logged and the schedule carries on.
 */
final class InboxEvents implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InboxEvents.class);

    private final Path inbox;
    private final Rounds.Round look;
    private @Nullable WatchService events;

    /**
     * @param inbox the inbox; its folders are watched too
     * @param look a look at the inbox ({@link InboxWatcher#poll}), which must be safe to call while a
     *     scheduled one runs
     */
    InboxEvents(Path inbox, Rounds.Round look) {
        this.inbox = inbox;
        this.look = look;
    }

    @Override
    public synchronized void start() {
        try {
            WatchService service = inbox.getFileSystem().newWatchService();
            register(service, inbox);
            try (DirectoryStream<Path> folders = Files.newDirectoryStream(inbox, Files::isDirectory)) {
                for (Path folder : folders) {
                    register(service, folder);
                }
            }
            events = service;
            Thread.ofPlatform().daemon().name("inbox-events").start(() -> listen(service));
        }
        catch (IOException | UnsupportedOperationException ex) {
            log.info("The inbox is looked at on its schedule only: the file system's events are not available ({})",
                    ex.toString());
        }
    }

    private static void register(WatchService service, Path folder) throws IOException {
        folder.register(service, StandardWatchEventKinds.ENTRY_CREATE);
    }

    private void listen(WatchService service) {
        while (true) {
            WatchKey key;
            try {
                key = service.take();
            }
            catch (InterruptedException | ClosedWatchServiceException ex) {
                return;
            }
            for (WatchEvent<?> event : key.pollEvents()) {
                // a model folder made after start: its files too
                if (key.watchable().equals(inbox) && event.context() instanceof Path name
                        && Files.isDirectory(inbox.resolve(name))) {
                    try {
                        register(service, inbox.resolve(name));
                    }
                    catch (IOException | ClosedWatchServiceException ex) {
                        log.debug("Not watching {}: {}", inbox.resolve(name), ex.toString());
                    }
                }
            }
            key.reset();
            try {
                look.run();
            }
            catch (Exception ex) {
                log.debug("Inbox look after an event failed (the schedule looks again): {}", ex.toString());
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (events != null) {
            try {
                events.close();
            }
            catch (IOException ex) {
                log.debug("Closing the inbox's events: {}", ex.toString());
            }
            events = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return events != null;
    }
}
