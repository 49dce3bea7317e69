// Package translog is the pure part of the publication log: an append-only
// Merkle tree (RFC 6962) with one leaf per publish, public update, validity
// change and withdrawal of an item, and checkpoints signed by the server, in
// the manner of Go's checksum database. Anyone holding the log's public key
// can check that what was published was not silently changed or removed:
// that a leaf is in the log (inclusion), that today's log extends the one
// they saw before (consistency), and that the content on the site is the
// content the leaf records.
//
// The package computes; it stores and serves nothing. The tree arithmetic
// comes from golang.org/x/mod/sumdb/tlog and the signatures from
// golang.org/x/mod/sumdb/note.
//
// # Leaf text
//
// A [Leaf] is encoded by [Leaf.MarshalText] as eight lines, each ending in
// "\n", keys in this order, one space after each key:
//
//	gongkai leaf v1
//	org <org ID, decimal>
//	org-code <org code>
//	item <item ID, decimal>
//	version <version number, decimal>
//	action <publish|update|validity|withdraw>
//	time <UTC, RFC 3339 to the second: 2024-05-01T08:30:05Z>
//	content-sha256 <64 lowercase hex digits>
//
// Numbers have no sign and no leading zeros; the org code is UTF-8 without
// white space or control characters. Times are kept to the second (finer
// parts are truncated), in UTC. [ParseLeaf] accepts only this canonical form,
// so a leaf has exactly one text. The text is what the tree hashes (the leaf
// hash is SHA-256 of 0x00 followed by the text) and what the log serves as
// leaf N.
//
// # Content hash
//
// [ContentHash] is SHA-256 over this encoding of an item's public content,
// where u64(n) is n as 8 bytes big-endian and str(s) is u64(len(s)) followed
// by the UTF-8 bytes of s:
//
//	"gongkai content v1\n"
//	str(title) str(body)
//	u64(number of metadata entries)
//	  then for each key in increasing byte order: str(key) str(value)
//	u64(number of attachments)
//	  then each attachment's 32-byte SHA-256, in increasing byte order
//
// Strings are taken byte for byte as the public JSON API serves them and
// must be valid UTF-8. Every field is length-prefixed, so no two contents
// share an encoding; attachment order does not count, repeats do.
//
// # Checkpoints
//
// A [Checkpoint] body is the C2SP tlog-checkpoint format (as used by
// transparency-dev), three lines and no extension lines:
//
//	<origin>
//	<size, decimal>
//	<root hash, standard base64>
//
// The origin names the log, conventionally the site's host name followed by
// "/log". We chose this format over the checksum database's
// "go.sum database tree" header because the origin line ties a checkpoint to
// one log, so one site's checkpoint cannot be passed off as another's, and
// witnesses and tools of the transparency-dev ecosystem read it. A signed
// checkpoint is a signed note (C2SP signed-note, golang.org/x/mod/sumdb/note):
// the body, a blank line, and a line "— <key name> <base64 signature>" per
// signature. The server's key is Ed25519 and its name must equal the origin;
// [Sign] and [Open] enforce it. [Open] ignores signatures by other keys, so
// witnesses may cosign.
//
// # Storage
//
// The log is stored as leaf texts by index and as stored hashes by
// stored-hash index (the numbering of tlog.StoredHashIndex: every complete
// subtree's hash, 2n − popcount(n) of them for n leaves). A store reads
// hashes through a [HashReader], usually a [HashReaderFunc] closure over its
// context and transaction. To append, it reads the size inside a write
// transaction that excludes other appenders, calls [Append], inserts
// Appended.Leaves and Appended.Hashes, and commits; nothing is ever updated.
// Proofs are [ProveRecord] and [ProveTree]; [FormatProof] and [ParseProof]
// give them a text form of one base64 hash per line.
//
// # Verifying
//
// [Verify] takes the log's public key, the checkpoint the verifier saw
// before (if any) and the [Evidence] fetched from the log, and names every
// check that failed by wrapping [ErrBadSignature], [ErrInvalidCheckpoint],
// [ErrInconsistent], [ErrInvalidLeaf], [ErrNotIncluded] or
// [ErrContentMismatch].
//
// # Dependencies
//
// translog imports no Gongkai package except gongkai/internal/apperr, and
// never database/sql or net/http: storage and HTTP call it, not the reverse.
package translog
