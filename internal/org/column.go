package org

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
)

// ColumnKind says what a column (栏目) shows.
type ColumnKind string

const (
	// ColumnList lists items, newest first.
	ColumnList ColumnKind = "list"
	// ColumnPage is a single page with its own body text.
	ColumnPage ColumnKind = "page"
	// ColumnLink points to another address, possibly on another site.
	ColumnLink ColumnKind = "link"
	// ColumnTopic is a special topic column (专题专栏), listed among the
	// site's special topics rather than in the main navigation.
	ColumnTopic ColumnKind = "topic"
)

// Label is the kind's name in the staff UI.
func (k ColumnKind) Label() string {
	switch k {
	case ColumnList:
		return "列表栏目"
	case ColumnPage:
		return "单页栏目"
	case ColumnLink:
		return "外部链接"
	case ColumnTopic:
		return "专题专栏"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k ColumnKind) Valid() bool {
	switch k {
	case ColumnList, ColumnPage, ColumnLink, ColumnTopic:
		return true
	}
	return false
}

// ColumnKinds lists every kind, in the order the staff UI offers them.
func ColumnKinds() []ColumnKind {
	return []ColumnKind{ColumnList, ColumnPage, ColumnLink, ColumnTopic}
}

// Column is a column (栏目) of an org's site. Columns form a tree per org.
type Column struct {
	ID       int64
	OrgID    int64
	ParentID int64 // 0 for a top-level column
	Kind     ColumnKind
	Slug     string // unique within the org, used in the address /col/{slug}
	Name     string
	Sort     int
	Visible  bool
	// UpdateDays is how often the column is expected to get new content, in
	// days; 0 means no expectation. Site inspection compares it with the
	// newest item (national checks: news two weeks, notices and policy
	// documents six months; REGULATIONS.md §5).
	UpdateDays int
	LinkURL    string // for ColumnLink
	Body       string // for ColumnPage: plain text, paragraphs separated by blank lines
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

var slugRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Normalize trims the column's text fields.
func (c *Column) Normalize() {
	c.Slug = strings.ToLower(strings.TrimSpace(c.Slug))
	c.Name = strings.TrimSpace(c.Name)
	c.LinkURL = strings.TrimSpace(c.LinkURL)
	c.Body = strings.ReplaceAll(strings.TrimSpace(c.Body), "\r\n", "\n")
}

// Validate checks the column's fields. Slug uniqueness and cycles need data
// and are checked by the store and CheckParent. The error is an
// *apperr.Invalid with messages in Simplified Chinese.
func (c *Column) Validate() error {
	inv := &apperr.Invalid{}
	if !c.Kind.Valid() {
		inv.Add("kind", "请选择栏目类型")
	}
	if !slugRe.MatchString(c.Slug) {
		inv.Add("slug", "栏目标识须为1至64位小写字母、数字或连字符，例如 tzgg")
	}
	if c.Name == "" {
		inv.Add("name", "请填写栏目名称")
	} else if utf8.RuneCountInString(c.Name) > 60 {
		inv.Add("name", "栏目名称不能超过60个字")
	}
	if c.UpdateDays < 0 || c.UpdateDays > 3660 {
		inv.Add("update_days", "更新周期须在0至3660天之间（0表示不要求）")
	}
	if c.Kind == ColumnLink && !ValidExternalURL(c.LinkURL) && !strings.HasPrefix(c.LinkURL, "/") {
		inv.Add("link_url", "外部链接须以 http:// 或 https:// 开头，或为本站路径")
	}
	if utf8.RuneCountInString(c.Body) > 200000 {
		inv.Add("body", "页面内容过长")
	}
	return inv.Err()
}

// Paragraphs splits a single page's body into paragraphs for rendering.
func (c *Column) Paragraphs() []string {
	var out []string
	for _, p := range strings.Split(c.Body, "\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ColumnNode is a column with its children, for rendering trees.
type ColumnNode struct {
	Column
	Depth    int
	Children []*ColumnNode
}

// Tree arranges columns into a forest ordered by Sort then ID. Columns whose
// parent is missing are treated as top-level so nothing disappears.
func Tree(cols []Column) []*ColumnNode {
	nodes := make(map[int64]*ColumnNode, len(cols))
	for i := range cols {
		nodes[cols[i].ID] = &ColumnNode{Column: cols[i]}
	}
	var roots []*ColumnNode
	for i := range cols {
		n := nodes[cols[i].ID]
		if p, ok := nodes[n.ParentID]; ok && n.ParentID != n.ID {
			p.Children = append(p.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	var fix func(ns []*ColumnNode, depth int)
	fix = func(ns []*ColumnNode, depth int) {
		sortNodes(ns)
		for _, n := range ns {
			n.Depth = depth
			fix(n.Children, depth+1)
		}
	}
	fix(roots, 0)
	return roots
}

// Flatten lists a forest depth-first, for indented tables.
func Flatten(ns []*ColumnNode) []*ColumnNode {
	var out []*ColumnNode
	var walk func([]*ColumnNode)
	walk = func(ns []*ColumnNode) {
		for _, n := range ns {
			out = append(out, n)
			walk(n.Children)
		}
	}
	walk(ns)
	return out
}

func sortNodes(ns []*ColumnNode) {
	for i := 1; i < len(ns); i++ {
		for j := i; j > 0 && less(ns[j], ns[j-1]); j-- {
			ns[j], ns[j-1] = ns[j-1], ns[j]
		}
	}
}

func less(a, b *ColumnNode) bool {
	if a.Sort != b.Sort {
		return a.Sort < b.Sort
	}
	return a.ID < b.ID
}
