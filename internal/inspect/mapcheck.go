package inspect

import (
	"html"
	"regexp"
	"slices"
	"strings"

	"gongkai/internal/publish"
	"gongkai/internal/screening"
)

// MapUse is a published item that shows an image.
type MapUse struct {
	ItemID int64
	OrgID  int64
	Title  string
	Where  string // "正文" or "附件"
}

// MapImage is a published image that is, or looks like, a map, with the
// approval numbers (审图号) found with it and the items showing it.
//
// Maps shown to the public must carry the approval number of map review
// (地图管理条例, 2015; not yet quoted in REGULATIONS.md): one without is
// a finding of the map self-check.
type MapImage struct {
	Key      string // SHA-256 of a stored image, or its address
	Name     string
	Caption  string
	Marked   bool     // the uploader marked it as a map
	Approval []string // approval numbers found in its name, caption, alt text or nearby text
	Uses     []MapUse
}

// Missing reports whether no approval number was found.
func (m MapImage) Missing() bool { return len(m.Approval) == 0 }

// MapSource is a published item's live version with its attachments.
type MapSource struct {
	ItemID      int64
	OrgID       int64
	Title       string
	Body        string // sanitised HTML
	Attachments []publish.Attachment
}

var (
	imgTag  = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	attr    = regexp.MustCompile(`(?is)\b(src|alt|title)\s*=\s*"([^"]*)"`)
	anyTag  = regexp.MustCompile(`(?s)<[^>]*>`)
	paraEnd = regexp.MustCompile(`(?i)</(p|figure|div|td|li)>`)
	fileRef = regexp.MustCompile(`/files/([0-9a-f]{64})/`)
)

// MapImages lists the images of the items that are maps or look like
// maps (screening.CheckMap's words, or marked by the uploader), merged by
// image, those without an approval number first.
func MapImages(items []MapSource) []MapImage {
	byKey := map[string]*MapImage{}
	var order []string
	add := func(key, name, caption string, marked bool, text string, use MapUse) {
		m, ok := byKey[key]
		if !ok {
			m = &MapImage{Key: key, Name: name, Caption: caption}
			byKey[key] = m
			order = append(order, key)
		}
		m.Marked = m.Marked || marked
		for _, n := range screening.FindApprovalNumbers(text) {
			if !slices.Contains(m.Approval, n) {
				m.Approval = append(m.Approval, n)
			}
		}
		for _, u := range m.Uses {
			if u.ItemID == use.ItemID && u.Where == use.Where {
				return
			}
		}
		m.Uses = append(m.Uses, use)
	}
	for _, it := range items {
		for _, a := range it.Attachments {
			if !strings.HasPrefix(a.ContentType, "image/") {
				continue
			}
			img := screening.Image{FileName: a.Name, Caption: a.Caption, MarkedAsMap: a.IsMap}
			if !looksLikeMap(img) {
				continue
			}
			add(a.SHA256, a.Name, a.Caption, a.IsMap, a.Name+"\n"+a.Caption, MapUse{ItemID: it.ItemID, OrgID: it.OrgID, Title: it.Title, Where: "附件"})
		}
		for _, loc := range imgTag.FindAllStringIndex(it.Body, -1) {
			tag := it.Body[loc[0]:loc[1]]
			var src, alt, title string
			for _, m := range attr.FindAllStringSubmatch(tag, -1) {
				v := html.UnescapeString(m[2])
				switch strings.ToLower(m[1]) {
				case "src":
					src = v
				case "alt":
					alt = v
				case "title":
					title = v
				}
			}
			// Nearby is the rest of the image's paragraph and the next one,
			// where the approval number is usually printed.
			nearby := it.Body[loc[1]:]
			if e := paraEnd.FindAllStringIndex(nearby, 2); len(e) > 0 {
				nearby = nearby[:e[len(e)-1][1]]
			}
			nearby = html.UnescapeString(anyTag.ReplaceAllString(nearby, ""))
			name := src[strings.LastIndex(src, "/")+1:]
			img := screening.Image{FileName: name, Alt: alt, Title: title, Nearby: nearby}
			if !looksLikeMap(img) {
				continue
			}
			key := src
			if m := fileRef.FindStringSubmatch(src); m != nil {
				key = m[1]
			}
			add(key, name, alt, false, name+"\n"+alt+"\n"+title+"\n"+nearby, MapUse{ItemID: it.ItemID, OrgID: it.OrgID, Title: it.Title, Where: "正文"})
		}
	}
	out := make([]MapImage, 0, len(order))
	for _, k := range order {
		out = append(out, *byKey[k])
	}
	slices.SortStableFunc(out, func(a, b MapImage) int {
		if a.Missing() != b.Missing() {
			if a.Missing() {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// looksLikeMap reports whether CheckMap would take the image for a map
// were it without an approval number.
func looksLikeMap(img screening.Image) bool {
	img.Nearby = ""
	probe := img
	// CheckMap answers "no finding" both for non-maps and for maps with
	// an approval number; strip what could carry a number to tell them apart.
	probe.Caption = stripApproval(probe.Caption)
	probe.Alt = stripApproval(probe.Alt)
	probe.Title = stripApproval(probe.Title)
	probe.FileName = stripApproval(probe.FileName)
	_, ok := screening.CheckMap(probe)
	return ok
}

func stripApproval(s string) string {
	for _, n := range screening.FindApprovalNumbers(s) {
		s = strings.ReplaceAll(s, n, "")
	}
	return s
}
