package translog_test

import (
	"errors"
	"fmt"
	"log"
	"time"

	"gongkai/internal/translog"
)

// This example follows one item through the log: the server appends leaves
// and signs checkpoints; a verifier that remembered an earlier checkpoint
// checks a later leaf, its inclusion, the log's consistency and the content
// it reads on the site.
func Example() {
	// Once, when the site is set up: a key named after the log's origin.
	// skey stays secret on the server; vkey is published.
	const origin = "gongkai.example.gov.cn/log"
	skey, vkey, err := translog.NewKey(origin)
	if err != nil {
		log.Fatal(err)
	}

	// The server: each action on an item appends a leaf. A SQL store would
	// call translog.Append inside the transaction and store the result.
	store := new(translog.MemStore)
	v1 := translog.Content{Title: "关于2024年低保标准的通知", Body: "<p>每人每月700元。</p>",
		Metadata: map[string]string{"index_no": "11421300MB1234567X/2024-00001"}}
	v2 := v1
	v2.Body = "<p>每人每月720元。</p>"
	at := time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC)
	for i, step := range []struct {
		action  translog.Action
		version int
		content translog.Content
	}{
		{translog.ActionPublish, 1, v1},
		{translog.ActionUpdate, 2, v2},
	} {
		h, err := translog.ContentHash(step.content)
		if err != nil {
			log.Fatal(err)
		}
		leaf := translog.Leaf{OrgID: 7, OrgCode: "11421300MB1234567X", ItemID: 42, Version: step.version,
			Action: step.action, Time: at.Add(time.Duration(i) * 24 * time.Hour), ContentHash: h}
		if _, err := store.Append(leaf); err != nil {
			log.Fatal(err)
		}
	}
	// The verifier fetched and saved this checkpoint of size 1 earlier.
	seen, err := translog.Open(sign(store, origin, 1, skey), vkey)
	if err != nil {
		log.Fatal(err)
	}

	// The server now serves a checkpoint of size 2, leaf 1 and the proofs.
	size := store.Size()
	leaf, _ := store.Leaf(1)
	incl, err := translog.ProveRecord(size, 1, store)
	if err != nil {
		log.Fatal(err)
	}
	cons, err := translog.ProveTree(size, seen.Size, store)
	if err != nil {
		log.Fatal(err)
	}

	// The verifier checks it all against what it read on the site (v2).
	res, err := translog.Verify(vkey, &seen, translog.Evidence{
		Note: sign(store, origin, size, skey), Index: 1, Leaf: leaf,
		Inclusion: incl, Consistency: cons, Content: &v2,
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("checkpoint %s, size %d\n", res.Checkpoint.Origin, res.Checkpoint.Size)
	fmt.Printf("item %d version %d: %s at %s\n", res.Leaf.ItemID, res.Leaf.Version, res.Leaf.Action, res.Leaf.Time.Format(time.RFC3339))

	// Had the site shown the old body, the content check would fail.
	_, err = translog.Verify(vkey, &seen, translog.Evidence{
		Note: sign(store, origin, size, skey), Index: 1, Leaf: leaf,
		Inclusion: incl, Consistency: cons, Content: &v1,
	})
	fmt.Println("old body:", errors.Is(err, translog.ErrContentMismatch))
	// Output:
	// checkpoint gongkai.example.gov.cn/log, size 2
	// item 42 version 2: update at 2024-03-02T02:00:00Z
	// old body: true
}

// sign returns the signed checkpoint of the first size leaves of store.
func sign(store *translog.MemStore, origin string, size int64, skey string) []byte {
	root, err := translog.TreeHash(size, store)
	if err != nil {
		log.Fatal(err)
	}
	note, err := translog.Sign(translog.Checkpoint{Origin: origin, Size: size, Root: root}, skey)
	if err != nil {
		log.Fatal(err)
	}
	return note
}

// This example shows what a store does on append: read the size, compute,
// then insert the leaf texts and the new stored hashes in the same
// transaction. Here a MemStore plays the part of the store's hash table.
func ExampleAppend() {
	store := new(translog.MemStore)
	leaf := translog.Leaf{OrgID: 7, OrgCode: "11421300MB1234567X", ItemID: 42, Version: 1,
		Action: translog.ActionPublish, Time: time.Date(2024, 3, 1, 2, 0, 0, 0, time.UTC),
		ContentHash: translog.Digest{0x01}}
	for range 3 {
		if _, err := store.Append(leaf); err != nil {
			log.Fatal(err)
		}
	}

	// Inside the write transaction, after reading size = 3. The fourth
	// leaf completes subtrees of 2 and 4 leaves, so three hashes are new.
	a, err := translog.Append(store.Size(), []translog.Leaf{leaf}, store)
	if err != nil {
		log.Fatal(err)
	}
	for i := range a.Leaves {
		fmt.Printf("insert leaf %d (%d bytes)\n", a.First+int64(i), len(a.Leaves[i]))
	}
	for j := range a.Hashes {
		fmt.Printf("insert stored hash %d\n", a.HashStart+int64(j))
	}
	fmt.Printf("new size %d, root %s\n", a.Size, a.Root)
	// Output:
	// insert leaf 3 (189 bytes)
	// insert stored hash 4
	// insert stored hash 5
	// insert stored hash 6
	// new size 4, root 1b59ai+e07N3iWaSjIrVydsRhxppO91MYpm3rX0craE=
}

func ExampleLeaf_MarshalText() {
	leaf := translog.Leaf{
		OrgID:       7,
		OrgCode:     "11421300MB1234567X",
		ItemID:      42,
		Version:     3,
		Action:      translog.ActionWithdraw,
		Time:        time.Date(2024, 3, 1, 10, 0, 0, 500_000_000, time.FixedZone("CST", 8*3600)),
		ContentHash: translog.Digest{0x9f, 0x86, 31: 0x08},
	}
	text, err := leaf.MarshalText()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(text))
	// Output:
	// gongkai leaf v1
	// org 7
	// org-code 11421300MB1234567X
	// item 42
	// version 3
	// action withdraw
	// time 2024-03-01T02:00:00Z
	// content-sha256 9f86000000000000000000000000000000000000000000000000000000000008
}

func ExampleContentHash() {
	h, err := translog.ContentHash(translog.Content{
		Title:       "关于2024年低保标准的通知",
		Body:        "<p>每人每月700元。</p>",
		Metadata:    map[string]string{"index_no": "11421300MB1234567X/2024-00001", "validity": "valid"},
		Attachments: []translog.Digest{{0x01}},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(h)
	// Output:
	// 805021235e28721e7b9d1dc085b591178a7e2af306a447cc9aff187e647ef12e
}

func ExampleCheckpoint_MarshalText() {
	c := translog.Checkpoint{Origin: "gongkai.example.gov.cn/log", Size: 3}
	text, err := c.MarshalText()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(text))
	// Output:
	// gongkai.example.gov.cn/log
	// 3
	// AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
}
