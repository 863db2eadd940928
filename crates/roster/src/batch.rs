//! Streaming batch assessment: a reader cuts the roster into chunks (never splitting a household), workers on every
//! core assess them, and a writer puts the results out in input order. The number of chunks in flight is bounded,
//! so memory stays flat whatever the roster's size. A bad row never stops the run: it goes to the rejects file with
//! its line number and the reason.

use std::collections::BTreeMap;
use std::io::{BufRead, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use verblijf_rules::ParamSet;

use crate::columnar::{
    results_batch, results_schema, Batches, ColumnarFormat, ColumnarWriter, RosterColumns,
};
use crate::output::{assess_rows, PersonResult, OUTPUT_COLUMNS};
use crate::row::{household_case, parse_row, Header, Row, RowError};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    Csv,
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Jsonl,
    /// Apache Parquet, typed columns.
    Parquet,
    /// The Arrow IPC file format (Feather 2), typed columns.
    Arrow,
}

impl OutputFormat {
    fn columnar(self) -> Option<ColumnarFormat> {
        match self {
            OutputFormat::Parquet => Some(ColumnarFormat::Parquet),
            OutputFormat::Arrow => Some(ColumnarFormat::Ipc),
            OutputFormat::Csv | OutputFormat::Jsonl => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Options {
    pub input: InputFormat,
    pub output: OutputFormat,
    /// Add the full explanation to each result.
    pub explain: bool,
    /// Worker threads (default: the number of cores).
    pub threads: usize,
    /// Rows per chunk (a household is never split).
    pub chunk_rows: usize,
    /// Only parse and write, without the rules: the floor a batch cannot beat.
    pub parse_only: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            input: InputFormat::Csv,
            output: OutputFormat::Csv,
            explain: false,
            threads: std::thread::available_parallelism().map_or(2, |n| n.get()),
            chunk_rows: 2048,
            parse_only: false,
        }
    }
}

/// Counters that a progress display can read while the batch runs.
#[derive(Debug, Default)]
pub struct Progress {
    pub bytes_read: AtomicU64,
    pub rows_done: AtomicU64,
    pub rejected: AtomicU64,
}

/// What a batch did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub people: u64,
    pub rejected: u64,
    pub elapsed: Duration,
}

/// A failure that stops the batch (not a bad row): unreadable input, a bad header, or output that cannot be written.
#[derive(Debug)]
pub enum BatchError {
    Header(String),
    Io(std::io::Error),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Header(m) => write!(f, "header (line 1): {m}"),
            BatchError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BatchError {}

impl From<std::io::Error> for BatchError {
    fn from(e: std::io::Error) -> Self {
        BatchError::Io(e)
    }
}

enum Chunk {
    Csv(Vec<(u64, csv::StringRecord)>),
    Lines(Vec<(u64, String)>),
}

struct Done {
    seq: u64,
    out: Vec<u8>,
    /// The results as a record batch, for columnar output.
    batch: Option<RecordBatch>,
    /// The results gathered for columnar output.
    results: Vec<PersonResult>,
    rejects: Vec<RowError>,
    rows: u64,
    people: u64,
    rejected: u64,
}

/// Runs a batch from `input` (CSV or JSON Lines, as `opts.input` says) to `output`, bad rows to `rejects`.
pub fn run<R: Read + Send, W: Write + Send, X: Write>(
    input: R,
    output: W,
    rejects: X,
    params: &ParamSet,
    opts: &Options,
    progress: &Progress,
) -> Result<Summary, BatchError> {
    let header: Mutex<Option<Header>> = Mutex::new(None);
    let read = |work: &SyncSender<(u64, Chunk)>, tokens: &Receiver<()>| match opts.input {
        InputFormat::Csv => read_csv(input, opts.chunk_rows, &header, work, tokens, progress),
        InputFormat::Jsonl => read_lines(input, opts.chunk_rows, work, tokens, progress),
    };
    let sink = Sink::new(output, opts)?;
    let (s, sink, rejects) = drive(
        read,
        &header,
        sink,
        Rejects::Csv(std::io::BufWriter::new(rejects), "line"),
        params,
        opts,
        progress,
    )?;
    sink.finish()?;
    rejects.finish()?;
    Ok(s)
}

/// Runs a batch from record batches (a Parquet or Arrow file, or a table handed over in memory) to `output`, bad
/// rows to `rejects` (numbered by row, from 1).
pub fn run_columnar<W: Write + Send, X: Write>(
    schema: &SchemaRef,
    batches: Batches,
    output: W,
    rejects: X,
    params: &ParamSet,
    opts: &Options,
    progress: &Progress,
) -> Result<Summary, BatchError> {
    let columns = RosterColumns::from_schema(schema).map_err(BatchError::Header)?;
    let header = Mutex::new(Some(columns.header.clone()));
    let read = |work: &SyncSender<(u64, Chunk)>, tokens: &Receiver<()>| {
        read_columnar(&columns, batches, opts.chunk_rows, work, tokens, progress)
    };
    let sink = Sink::new(output, opts)?;
    let (s, sink, rejects) = drive(
        read,
        &header,
        sink,
        Rejects::Csv(std::io::BufWriter::new(rejects), "row"),
        params,
        opts,
        progress,
    )?;
    sink.finish()?;
    rejects.finish()?;
    Ok(s)
}

/// What [`assess_batches`] gives back: the results as record batches, and the rows that could not be used.
pub struct Assessed {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
    pub rejects: Vec<RowError>,
    pub summary: Summary,
}

/// Assesses record batches in memory, on every core: the results as record batches in input order, bad rows
/// (numbered by row, from 1) as errors.
pub fn assess_batches(
    schema: &SchemaRef,
    batches: Batches,
    params: &ParamSet,
    opts: &Options,
) -> Result<Assessed, BatchError> {
    let columns = RosterColumns::from_schema(schema).map_err(BatchError::Header)?;
    let header = Mutex::new(Some(columns.header.clone()));
    let progress = Progress::default();
    let read = |work: &SyncSender<(u64, Chunk)>, tokens: &Receiver<()>| {
        read_columnar(&columns, batches, opts.chunk_rows, work, tokens, &progress)
    };
    let sink: Sink<std::io::Sink> = Sink::Collect(Vec::new());
    let (summary, sink, rejects) = drive(
        read,
        &header,
        sink,
        Rejects::<std::io::Sink>::Collect(Vec::new()),
        params,
        opts,
        &progress,
    )?;
    let (Sink::Collect(batches), Rejects::Collect(rejects)) = (sink, rejects) else {
        return Err(BatchError::Io(std::io::Error::other(
            "results not collected",
        )));
    };
    Ok(Assessed {
        schema: results_schema(opts.explain),
        batches,
        rejects,
        summary,
    })
}

/// Where results go.
enum Sink<W: Write + Send> {
    Bytes(std::io::BufWriter<W>),
    Columnar(ColumnarWriter<W>),
    Collect(Vec<RecordBatch>),
}

impl<W: Write + Send> Sink<W> {
    fn new(output: W, opts: &Options) -> Result<Sink<W>, BatchError> {
        Ok(match opts.output.columnar() {
            Some(f) => Sink::Columnar(
                ColumnarWriter::new(f, output, results_schema(opts.explain))
                    .map_err(|e| BatchError::Io(std::io::Error::other(e)))?,
            ),
            None => Sink::Bytes(std::io::BufWriter::with_capacity(1 << 16, output)),
        })
    }

    fn columnar(&self) -> bool {
        !matches!(self, Sink::Bytes(_))
    }

    fn write(&mut self, d: &mut Done) -> std::io::Result<()> {
        match self {
            Sink::Bytes(w) => w.write_all(&d.out),
            Sink::Columnar(w) => match &d.batch {
                Some(b) => w.write(b),
                None => Ok(()),
            },
            Sink::Collect(v) => {
                v.extend(d.batch.take());
                Ok(())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Bytes(mut w) => w.flush(),
            Sink::Columnar(w) => w.finish(),
            Sink::Collect(_) => Ok(()),
        }
    }
}

/// Where rejected rows go: a CSV file (its first column named `line` or `row`), or a list.
enum Rejects<X: Write> {
    Csv(std::io::BufWriter<X>, &'static str),
    Collect(Vec<RowError>),
}

impl<X: Write> Rejects<X> {
    fn begin(&mut self) -> std::io::Result<()> {
        match self {
            Rejects::Csv(w, unit) => writeln!(w, "{unit},id,column,reason"),
            Rejects::Collect(_) => Ok(()),
        }
    }

    fn write(&mut self, errors: Vec<RowError>) -> std::io::Result<()> {
        match self {
            Rejects::Csv(w, _) => {
                let mut rej = csv::WriterBuilder::new().has_headers(false).from_writer(w);
                for e in &errors {
                    rej.write_record([
                        e.line.to_string().as_str(),
                        e.id.as_deref().unwrap_or_default(),
                        e.field.as_str(),
                        e.message.as_str(),
                    ])
                    .map_err(|e| std::io::Error::other(e.to_string()))?;
                }
                rej.flush()
            }
            Rejects::Collect(v) => {
                v.extend(errors);
                Ok(())
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Rejects::Csv(mut w, _) => w.flush(),
            Rejects::Collect(_) => Ok(()),
        }
    }
}

/// The reader on a thread of its own, the workers on every core, the writer here.
fn drive<W: Write + Send, X: Write>(
    read: impl FnOnce(&SyncSender<(u64, Chunk)>, &Receiver<()>) -> Result<(), BatchError> + Send,
    header: &Mutex<Option<Header>>,
    mut sink: Sink<W>,
    mut rejects: Rejects<X>,
    params: &ParamSet,
    opts: &Options,
    progress: &Progress,
) -> Result<(Summary, Sink<W>, Rejects<X>), BatchError> {
    let start = Instant::now();
    let threads = opts.threads.max(1);
    let in_flight = threads * 4;
    let (work_tx, work_rx) = sync_channel::<(u64, Chunk)>(in_flight);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<Done>(in_flight);
    // Tokens bound the chunks between the reader and the writer, so the reorder buffer stays small.
    let (token_tx, token_rx) = sync_channel::<()>(in_flight);
    for _ in 0..in_flight {
        token_tx
            .send(())
            .map_err(|_| std::io::Error::other("token channel"))?;
    }
    let columnar = sink.columnar();
    std::thread::scope(|scope| -> Result<Summary, BatchError> {
        // The reader.
        let reader = scope.spawn(move || read(&work_tx, &token_rx));
        // The workers.
        for _ in 0..threads {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            scope.spawn(move || work(&rx, &tx, header, params, opts, columnar));
        }
        drop(done_tx);
        // The writer, here.
        let summary = write_in_order(done_rx, &mut sink, &mut rejects, opts, progress, &token_tx);
        let read = reader
            .join()
            .map_err(|_| BatchError::Io(std::io::Error::other("the reader stopped")))?;
        read?;
        let mut s = summary?;
        s.elapsed = start.elapsed();
        Ok(s)
    })
    .map(|s| (s, sink, rejects))
}

/// Cuts rows into chunks of about `chunk_rows`, never splitting a household, and sends them to the workers.
struct Chunker<'a> {
    chunk_rows: usize,
    seq: u64,
    chunk: Vec<(u64, csv::StringRecord)>,
    /// The household of the row before: rows with the same one stay in one chunk.
    last_household: Option<String>,
    work: &'a SyncSender<(u64, Chunk)>,
    tokens: &'a Receiver<()>,
}

impl<'a> Chunker<'a> {
    fn new(
        chunk_rows: usize,
        work: &'a SyncSender<(u64, Chunk)>,
        tokens: &'a Receiver<()>,
    ) -> Self {
        Chunker {
            chunk_rows,
            seq: 0,
            chunk: Vec::with_capacity(chunk_rows + 8),
            last_household: None,
            work,
            tokens,
        }
    }

    /// Before a row of this household: sends the chunk if it is full and the row starts a household. False when
    /// the workers have stopped.
    fn before(&mut self, household: Option<&str>) -> bool {
        let boundary = household.is_none() || household != self.last_household.as_deref();
        if boundary && self.chunk.len() >= self.chunk_rows && !self.send() {
            return false;
        }
        match household {
            Some(h) if boundary => {
                let last = self.last_household.get_or_insert_with(String::new);
                last.clear();
                last.push_str(h);
            }
            Some(_) => {}
            None => self.last_household = None,
        }
        true
    }

    fn push(&mut self, line: u64, rec: csv::StringRecord) {
        self.chunk.push((line, rec));
    }

    /// Sends what is gathered. False when the workers have stopped.
    fn send(&mut self) -> bool {
        if self.chunk.is_empty() {
            return true;
        }
        if self.tokens.recv().is_err() {
            return false;
        }
        let full = std::mem::replace(&mut self.chunk, Vec::with_capacity(self.chunk_rows + 8));
        if self.work.send((self.seq, Chunk::Csv(full))).is_err() {
            return false;
        }
        self.seq += 1;
        true
    }
}

/// Reads record batches, each row as the CSV reader would give it, numbered from 1.
fn read_columnar(
    columns: &RosterColumns,
    batches: Batches,
    chunk_rows: usize,
    work: &SyncSender<(u64, Chunk)>,
    tokens: &Receiver<()>,
    progress: &Progress,
) -> Result<(), BatchError> {
    let mut chunker = Chunker::new(chunk_rows, work, tokens);
    let mut row = 0u64;
    let width = columns.header.width;
    for batch in batches {
        let batch = batch.map_err(|e| BatchError::Io(std::io::Error::other(e)))?;
        let text = columns.text(&batch).map_err(BatchError::Header)?;
        for i in 0..text.rows() {
            row += 1;
            if !chunker.before(text.household(i)) {
                return Ok(());
            }
            let mut rec = csv::StringRecord::with_capacity(256, width);
            text.record(i, &mut rec);
            chunker.push(row, rec);
        }
        progress.bytes_read.store(row, Ordering::Relaxed);
    }
    chunker.send();
    Ok(())
}

fn read_csv<R: Read>(
    input: R,
    chunk_rows: usize,
    header_slot: &Mutex<Option<Header>>,
    work: &SyncSender<(u64, Chunk)>,
    tokens: &Receiver<()>,
    progress: &Progress,
) -> Result<(), BatchError> {
    // The CSV reader's own line count drifts on CRLF endings; count newlines by byte offset instead.
    let newlines = std::rc::Rc::new(std::cell::RefCell::new(std::collections::VecDeque::new()));
    let counter = LineCounter {
        inner: input,
        offset: 0,
        newlines: newlines.clone(),
    };
    let mut passed = 0u64;
    let mut line_at = |byte: u64| -> u64 {
        let mut q = newlines.borrow_mut();
        while q.front().is_some_and(|o| *o <= byte) {
            q.pop_front();
            passed += 1;
        }
        passed + 1
    };
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(counter);
    let mut rec = csv::StringRecord::new();
    if !rdr.read_record(&mut rec).map_err(csv_io)? {
        return Err(BatchError::Header("the roster is empty".into()));
    }
    let fields: Vec<&str> = rec.iter().collect();
    let header = Header::parse(&fields).map_err(BatchError::Header)?;
    let household_col = fields
        .iter()
        .position(|f| f.trim().trim_start_matches('\u{feff}') == "household");
    if let Ok(mut slot) = header_slot.lock() {
        *slot = Some(header);
    }
    let mut chunker = Chunker::new(chunk_rows, work, tokens);
    // Each record gets the room the one before needed, so reading it does not grow its buffers.
    let (mut text_room, mut field_room) = (256, 64);
    loop {
        let mut rec = csv::StringRecord::with_capacity(text_room, field_room);
        let more = match rdr.read_record(&mut rec) {
            Ok(m) => m,
            Err(e) => {
                // A record the CSV reader cannot read (bad UTF-8, say): keep its place as an empty record, which
                // the worker rejects with the line.
                if e.is_io_error() {
                    return Err(csv_io(e));
                }
                let line = e.position().map_or(0, |p| line_at(p.byte()));
                chunker.push(
                    line,
                    csv::StringRecord::from(vec![format!("\u{0}unreadable: {e}")]),
                );
                continue;
            }
        };
        if !more {
            chunker.send();
            return Ok(());
        }
        let line = rec.position().map_or(0, |p| line_at(p.byte()));
        progress
            .bytes_read
            .store(rec.position().map_or(0, |p| p.byte()), Ordering::Relaxed);
        text_room = text_room.max(rec.as_slice().len());
        field_room = field_room.max(rec.len());
        let household = household_col
            .and_then(|i| rec.get(i))
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if !chunker.before(household) {
            return Ok(());
        }
        chunker.push(line, rec);
    }
}

/// A reader that notes the byte offset of every newline it passes on.
struct LineCounter<R> {
    inner: R,
    offset: u64,
    newlines: std::rc::Rc<std::cell::RefCell<std::collections::VecDeque<u64>>>,
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut q = self.newlines.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            if *b == b'\n' {
                q.push_back(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn read_lines<R: Read>(
    input: R,
    chunk_rows: usize,
    work: &std::sync::mpsc::SyncSender<(u64, Chunk)>,
    tokens: &Receiver<()>,
    progress: &Progress,
) -> Result<(), BatchError> {
    let mut r = std::io::BufReader::with_capacity(1 << 16, input);
    let mut seq = 0u64;
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    let mut chunk = Vec::with_capacity(chunk_rows);
    loop {
        let mut line = String::new();
        let n = r.read_line(&mut line)?;
        if n > 0 {
            line_no += 1;
            bytes += n as u64;
            progress.bytes_read.store(bytes, Ordering::Relaxed);
            if !line.trim().is_empty() {
                chunk.push((line_no, line));
            }
        }
        if (n == 0 || chunk.len() >= chunk_rows) && !chunk.is_empty() {
            if tokens.recv().is_err() {
                return Ok(());
            }
            if work
                .send((seq, Chunk::Lines(std::mem::take(&mut chunk))))
                .is_err()
            {
                return Ok(());
            }
            seq += 1;
        }
        if n == 0 {
            return Ok(());
        }
    }
}

fn csv_io(e: csv::Error) -> BatchError {
    BatchError::Io(std::io::Error::other(e.to_string()))
}

fn work(
    rx: &Mutex<Receiver<(u64, Chunk)>>,
    tx: &std::sync::mpsc::SyncSender<Done>,
    header: &Mutex<Option<Header>>,
    params: &ParamSet,
    opts: &Options,
    columnar: bool,
) {
    loop {
        let next = match rx.lock() {
            Ok(r) => r.recv(),
            Err(_) => return,
        };
        let Ok((seq, chunk)) = next else { return };
        // The reader sets the header before it sends the first chunk.
        let header = header.lock().ok().and_then(|h| h.clone());
        let mut done = Done {
            seq,
            out: Vec::with_capacity(if columnar { 0 } else { 64 * 1024 }),
            batch: None,
            results: Vec::new(),
            rejects: Vec::new(),
            rows: 0,
            people: 0,
            rejected: 0,
        };
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::with_capacity(64 * 1024));
        let mut rej: Vec<RowError> = Vec::new();
        let emit = |results: Vec<PersonResult>, done: &mut Done, out: &mut csv::Writer<Vec<u8>>| {
            if columnar {
                done.people += results.len() as u64;
                done.results.extend(results);
                return;
            }
            for r in results {
                done.people += 1;
                match opts.output {
                    OutputFormat::Csv | OutputFormat::Parquet | OutputFormat::Arrow => {
                        let _ = r.write_csv(opts.explain, out);
                    }
                    OutputFormat::Jsonl => {
                        if let Ok(s) = serde_json::to_string(&r) {
                            done.out.extend_from_slice(s.as_bytes());
                            done.out.push(b'\n');
                        }
                    }
                }
            }
        };
        let reject = |e: &RowError, done: &mut Done, rej: &mut Vec<RowError>| {
            done.rejected += 1;
            rej.push(e.clone());
        };
        match chunk {
            Chunk::Csv(records) => {
                let Some(h) = header.as_ref() else { return };
                done.rows = records.len() as u64;
                let mut group: Vec<Row> = Vec::new();
                let flush = |group: &mut Vec<Row>,
                             done: &mut Done,
                             out: &mut csv::Writer<Vec<u8>>,
                             rej: &mut Vec<RowError>| {
                    if group.is_empty() {
                        return;
                    }
                    let household = group[0].household.clone();
                    let (case, errors) = household_case(std::mem::take(group));
                    for e in &errors {
                        reject(e, done, rej);
                    }
                    if let Some((case, _)) = case {
                        if opts.parse_only {
                            let ids: Vec<PersonResult> = case
                                .members()
                                .iter()
                                .map(|p| floor_result(&case, p, household.as_deref()))
                                .collect();
                            emit(ids, done, out);
                        } else {
                            emit(
                                assess_rows(&case, household.as_deref(), params, opts.explain),
                                done,
                                out,
                            );
                        }
                    }
                };
                for (line, rec) in records {
                    if rec.len() == 1 && rec.get(0).is_some_and(|f| f.starts_with('\u{0}')) {
                        let msg = rec
                            .get(0)
                            .unwrap_or_default()
                            .trim_start_matches('\u{0}')
                            .to_string();
                        reject(
                            &RowError {
                                line,
                                id: None,
                                field: String::new(),
                                message: msg,
                            },
                            &mut done,
                            &mut rej,
                        );
                        continue;
                    }
                    match parse_row(h, &rec, line) {
                        Ok(row) => {
                            let same = row.household.is_some()
                                && group.last().is_some_and(|g| g.household == row.household);
                            if !same {
                                flush(&mut group, &mut done, &mut out, &mut rej);
                            }
                            group.push(row);
                        }
                        Err(e) => reject(&e, &mut done, &mut rej),
                    }
                }
                flush(&mut group, &mut done, &mut out, &mut rej);
            }
            Chunk::Lines(lines) => {
                done.rows = lines.len() as u64;
                for (line, text) in lines {
                    match verblijf_rules::parse_case(&text, verblijf_rules::Format::Json) {
                        Ok(case) => {
                            let household = case
                                .person
                                .is_none()
                                .then(|| case.people.first().and_then(|p| p.id.clone()))
                                .flatten();
                            if opts.parse_only {
                                let ids: Vec<PersonResult> = case
                                    .members()
                                    .iter()
                                    .map(|p| floor_result(&case, p, household.as_deref()))
                                    .collect();
                                emit(ids, &mut done, &mut out);
                            } else {
                                emit(
                                    assess_rows(&case, household.as_deref(), params, opts.explain),
                                    &mut done,
                                    &mut out,
                                );
                            }
                        }
                        Err(e) => {
                            let id = serde_json::from_str::<serde_json::Value>(&text)
                                .ok()
                                .and_then(|v| v["person"]["id"].as_str().map(str::to_string));
                            let err = RowError {
                                line,
                                id,
                                field: if e.field == "." {
                                    String::new()
                                } else {
                                    e.field.clone()
                                },
                                message: format!(
                                    "{}{}",
                                    e.message,
                                    e.column
                                        .map(|c| format!(" (column {c})"))
                                        .unwrap_or_default()
                                ),
                            };
                            reject(&err, &mut done, &mut rej);
                        }
                    }
                }
            }
        }
        if let Ok(bytes) = out.into_inner() {
            if opts.output == OutputFormat::Csv {
                done.out = bytes;
            }
        }
        done.rejects = rej;
        if columnar {
            match results_batch(&done.results, opts.explain) {
                Ok(b) => done.batch = Some(b),
                Err(e) => done.rejects.push(RowError {
                    line: 0,
                    id: None,
                    field: String::new(),
                    message: format!("results could not be put in columns: {e}"),
                }),
            }
            done.results = Vec::new();
        }
        if tx.send(done).is_err() {
            return;
        }
    }
}

/// The parse-and-write floor: the same output shape with no rules applied.
fn floor_result(
    case: &verblijf_rules::Case,
    p: &verblijf_rules::case::Person,
    household: Option<&str>,
) -> PersonResult {
    PersonResult {
        id: p.id.clone().unwrap_or_default(),
        household: household.map(str::to_string),
        reference_date: case.reference_date,
        filing_date: case.filing_date(),
        eligible: vec![],
        outcomes: vec![],
        family_member: None,
        hsm_criterion: None,
        hsm_required: None,
        hsm_margin: None,
        work_status: "",
        work_until: None,
        next_deadline: None,
        explanation: None,
    }
}

fn write_in_order<W: Write + Send, X: Write>(
    rx: Receiver<Done>,
    sink: &mut Sink<W>,
    rejects: &mut Rejects<X>,
    opts: &Options,
    progress: &Progress,
    tokens: &SyncSender<()>,
) -> Result<Summary, BatchError> {
    if let Sink::Bytes(output) = sink {
        if opts.output == OutputFormat::Csv {
            let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
            let cols: Vec<&str> = OUTPUT_COLUMNS
                .iter()
                .copied()
                .filter(|c| opts.explain || *c != "explanation")
                .collect();
            w.write_record(&cols)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
            output.write_all(
                &w.into_inner()
                    .map_err(|e| std::io::Error::other(e.to_string()))?,
            )?;
        }
    }
    rejects.begin()?;
    let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
    let mut next = 0u64;
    let mut s = Summary {
        rows: 0,
        people: 0,
        rejected: 0,
        elapsed: Duration::ZERO,
    };
    for done in rx {
        pending.insert(done.seq, done);
        while let Some(mut d) = pending.remove(&next) {
            sink.write(&mut d)?;
            rejects.write(std::mem::take(&mut d.rejects))?;
            s.rows += d.rows;
            s.people += d.people;
            s.rejected += d.rejected;
            progress.rows_done.store(s.rows, Ordering::Relaxed);
            progress.rejected.store(s.rejected, Ordering::Relaxed);
            next += 1;
            let _ = tokens.try_send(());
        }
    }
    Ok(s)
}
