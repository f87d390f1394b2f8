package io.solarwind.infrastructure.broker;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.core.io.SequentialFileFactory;
import org.apache.activemq.artemis.core.io.nio.NIOSequentialFileFactory;
import org.apache.activemq.artemis.core.journal.Journal;
import org.apache.activemq.artemis.core.journal.RecordInfo;
import org.apache.activemq.artemis.core.journal.impl.JournalFile;
import org.apache.activemq.artemis.core.journal.impl.JournalFileImpl;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;
import org.apache.activemq.artemis.core.journal.impl.JournalReaderCallback;
import org.apache.activemq.artemis.core.replication.ReplicatedJournal;
import org.apache.activemq.artemis.core.server.ActiveMQServer;

/**
 * Copies to journal retention the journal file Artemis 2.40 leaves out of it when a broker loads a
 * journal another broker (or itself, before a restart) was writing: Solar Wind's replay plugin runs
 * it each time the broker becomes active, after the journal is loaded and before any client
 * connects ({@link ReplayService}).
 *
 * <p>Why a file is left out. Artemis copies a journal file to retention only when it closes it as
 * its current file ({@code JournalImpl.moveNextFile}). The file a broker was writing when it died
 * or stopped is closed by the broker that loads the journal next, provided that broker makes it
 * its current file again: the loader takes the <em>last data file</em> (by file id) as current.
 * But free files carry higher ids than the file being written (a file gets a new id when it is
 * freed), keep their stale content, and the loader scans every byte of a file for records: a
 * stale byte sequence that looks like a record type followed by the file's new id, with a size
 * that does not check, makes it class the file as a data file without a record of its own
 * ({@code markAsDataFile} in {@code JournalImpl.readJournalFile}). For a used 10 MiB file that
 * happens for several ids in a hundred. Such a file, having the highest id, becomes the current
 * file at its header; the file that was being written stays a data file, is never closed as a
 * current file again, is never copied, and is reclaimed or compacted away when its messages are
 * consumed. Its events are then missing from replay, as a run of consecutive events: all the
 * events the dead broker had stored since its last file switch. Nothing is lost for delivery;
 * the file is loaded.
 *
 * <p>What this does: every data file of the loaded journal that is not the current one and whose
 * id is above the highest id in the retention folder, and that has records of its own, is copied
 * there under Artemis's retention name. Above the highest id retained: a journal opens its files
 * in id order, so every file closed before has a lower id and is retained already, and the files
 * compaction writes take ids of the files they replace (retained too); copying those again would
 * replay their events twice. The current file is left alone: Artemis copies it when it closes it.
 *
 * <p>And files a killed broker had closed but not yet copied ({@code .amq.bkp}, see
 * {@code retainLeftovers}) are copied and renamed back, as Artemis itself would at the next start
 * of a broker on this journal.
 */
final class RetentionCatchUp {
    private static final Logger LOG = Logger.getLogger(RetentionCatchUp.class.getName());
    private static final String EXTENSION = "amq";
    /** What Artemis appends to a closed journal file's name until it has copied it to retention. */
    private static final String BACKUP_EXTENSION = "bkp";
    /** Artemis's retention file name: {@code <prefix>-<yyyyMMddHHmmss>-<file id>.amq}. */
    private static final Pattern RETAINED = Pattern.compile(".*-\\d{14}-(\\d+)\\." + EXTENSION);

    private RetentionCatchUp() {
    }

    /**
     * Copies the data files of the broker's loaded message journal that retention is missing (see
     * the class comment) and returns their names in the journal; none when retention is off.
     */
    static List<String> retainMissedFiles(ActiveMQServer server) throws IOException {
        File retention = server.getConfiguration().getJournalRetentionLocation();
        JournalImpl journal = localJournal(server.getStorageManager().getMessageJournal());
        if (retention == null || journal == null || !journal.isHistory()) {
            return List.of();
        }
        File journalDir = server.getConfiguration().getJournalLocation();
        long highestRetained = highestRetainedId(retention);
        List<String> copied = new ArrayList<>();
        // no file switch, reclaim or compaction while the files are read and copied
        journal.synchronizationLock();
        try {
            JournalFile current = journal.getCurrentFile();
            SequentialFileFactory reader = new NIOSequentialFileFactory(journalDir, null, 1);
            for (JournalFile file : journal.getDataFiles()) {
                long id = file.getFileID();
                String name = file.getFile().getFileName();
                if (file == current || id <= highestRetained || !name.endsWith("." + EXTENSION)
                        || !hasRecordsOfItsOwn(reader, name, id)) {
                    continue;
                }
                File target = new File(retention, journal.getHistoryFileName(id, new GregorianCalendar()));
                Files.copy(new File(journalDir, name).toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
                copied.add(name);
                LOG.warning("Journal file " + name + " (id " + id + ") was written before this broker became active and"
                        + " was not in journal retention (Artemis closes it no more): copied to " + target
                        + " so that replay has its events");
            }
            copied.addAll(retainLeftovers(journal, journalDir, retention));
        } finally {
            journal.synchronizationUnlock();
        }
        return copied;
    }

    /**
     * Files a broker closed and had not copied yet when it was killed ({@code <name>.amq.bkp}): a
     * shared-store backup lists them when it starts, before it takes the lock, so the one that takes
     * over neither copies nor loads them; Artemis would copy them at the next start of either
     * broker, deleting on the way every retention file whose name merely ends with the same id.
     * Copied here, as Artemis copies them (and renamed back: the next load of the journal reads them
     * again, as Artemis's own handling leads to), so that replay has their events now.
     */
    private static List<String> retainLeftovers(JournalImpl journal, File journalDir, File retention) throws IOException {
        List<String> copied = new ArrayList<>();
        SequentialFileFactory factory = new NIOSequentialFileFactory(journalDir, null, 1);
        List<JournalFile> leftovers;
        try {
            // a reader over the same folder whose extension is the leftovers' one: it reads their headers
            leftovers = new JournalImpl(journal.getFileSize(), 2, 2, 0, 0, factory, journal.getFilePrefix(), BACKUP_EXTENSION, 1)
                    .orderFiles();
        } catch (Exception e) {
            throw new IOException("listing the journal's leftover " + BACKUP_EXTENSION + " files: " + e, e);
        }
        for (JournalFile leftover : leftovers) {
            String name = leftover.getFile().getFileName();
            if (!name.endsWith("." + EXTENSION + "." + BACKUP_EXTENSION)) {
                continue;
            }
            File source = new File(journalDir, name);
            File target = new File(retention, journal.getHistoryFileName(leftover.getFileID(), new GregorianCalendar()));
            Files.copy(source.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING);
            File renamed = new File(journalDir, name.substring(0, name.length() - BACKUP_EXTENSION.length() - 1));
            if (!renamed.exists()) {
                Files.move(source.toPath(), renamed.toPath());
            }
            copied.add(name);
            LOG.warning("Journal file " + name + " (id " + leftover.getFileID() + ") was closed by a broker that stopped before it"
                    + " copied it to journal retention, and this broker did not load it: copied to " + target
                    + " so that replay has its events, and renamed " + renamed.getName() + "; the messages it holds are"
                    + " loaded again at the next start of a broker on this journal");
        }
        return copied;
    }

    /**
     * Copies to retention the files the journal has closed and not copied yet; Artemis does it
     * shortly after it closes a file, but a stopping journal drops that list.
     */
    static void retainClosedFiles(ActiveMQServer server) {
        if (server.getConfiguration().getJournalRetentionLocation() == null || server.getStorageManager() == null) {
            return;
        }
        JournalImpl journal = localJournal(server.getStorageManager().getMessageJournal());
        if (journal != null && journal.isHistory() && journal.isStarted()) {
            journal.processBackup();
        }
    }

    static JournalImpl localJournal(Journal journal) {
        if (journal instanceof JournalImpl impl) {
            return impl;
        }
        if (journal instanceof ReplicatedJournal replicated && replicated.getLocalJournal() instanceof JournalImpl impl) {
            return impl;
        }
        return null;
    }

    /** The highest file id among the retention folder's files, or -1. */
    static long highestRetainedId(File retention) {
        String[] names = retention.list();
        long highest = -1;
        if (names != null) {
            for (String name : names) {
                Matcher m = RETAINED.matcher(name);
                if (m.matches()) {
                    highest = Math.max(highest, Long.parseLong(m.group(1)));
                }
            }
        }
        return highest;
    }

    /** Whether the file holds a record written under its own id (not only stale bytes of an earlier use). */
    private static boolean hasRecordsOfItsOwn(SequentialFileFactory factory, String name, long id) throws IOException {
        AtomicBoolean found = new AtomicBoolean();
        JournalReaderCallback any = new JournalReaderCallback() {
            @Override
            public void onReadAddRecord(RecordInfo info) {
                found.set(true);
            }

            @Override
            public void onReadUpdateRecord(RecordInfo info) {
                found.set(true);
            }

            @Override
            public void onReadDeleteRecord(long recordID) {
                found.set(true);
            }

            @Override
            public void onReadAddRecordTX(long transactionID, RecordInfo info) {
                found.set(true);
            }

            @Override
            public void onReadUpdateRecordTX(long transactionID, RecordInfo info) {
                found.set(true);
            }

            @Override
            public void onReadDeleteRecordTX(long transactionID, RecordInfo info) {
                found.set(true);
            }

            @Override
            public void onReadPrepareRecord(long transactionID, byte[] extraData, int numberOfRecords) {
                found.set(true);
            }

            @Override
            public void onReadCommitRecord(long transactionID, int numberOfRecords) {
                found.set(true);
            }

            @Override
            public void onReadRollbackRecord(long transactionID) {
                found.set(true);
            }
        };
        try {
            JournalImpl.readJournalFile(factory, new JournalFileImpl(factory.createSequentialFile(name), id, JournalImpl.FORMAT_VERSION),
                    any, null);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("reading journal file " + name + ": " + e, e);
        }
        return found.get();
    }
}
