// Package org holds the organisations of a site group (the city government,
// its bureaus and their subordinate units), each with its own public site
// settings, and each org's tree of columns (栏目). It is a domain package: it
// imports only apperr and the standard library, never storage or HTTP.
package org

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/apperr"
)

// Org is an organisation (机构) of the site group. Orgs form a tree: the city
// government at the root, bureaus below it, subordinate units (局属单位)
// below those. Each org has one public site.
type Org struct {
	ID        int64
	ParentID  int64 // 0 for a root
	Code      string
	Name      string // full name, e.g. 随州市民政局
	ShortName string // e.g. 市民政局
	Sort      int
	Site      Site
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Site holds an org's public site settings.
type Site struct {
	Name       string // site name shown in the header, e.g. 随州市民政局门户网站
	SiteCode   string // 政府网站标识码 (usually 10 digits; not length-checked, see REGULATIONS.md §4)
	ICP        string // ICP备案号, e.g. 鄂ICP备05003314号
	PSB        string // 公安机关备案号, e.g. 鄂公网安备42130202000123号
	Address    string
	Phone      string
	Host       string // host name serving this site at its root, e.g. mzj.suizhou.gov.cn; optional
	PathPrefix string // path prefix under the shared host, e.g. "mzj" for /mzj/; required, unique
	IsDefault  bool   // serves "/" on a host that matches no org's Host
	// Theme is the site's colour scheme, one of Themes; "" follows the
	// parent org's, so a bureau's units look like the bureau.
	Theme string
}

// Theme is a colour scheme of the public site; the public stylesheet
// defines each one (a body class), so no colour comes from input.
type Theme struct {
	Name  string // stored value and CSS class suffix
	Label string
}

// Themes lists the colour schemes, the default (government red) first.
func Themes() []Theme {
	return []Theme{{"red", "政务红（默认）"}, {"blue", "深蓝"}, {"green", "墨绿"}, {"grey", "庄重灰"}}
}

// EffectiveTheme is the theme an org's site shows: its own, or the
// nearest ancestor's, or the default.
func EffectiveTheme(orgs []Org, id int64) string {
	byID := make(map[int64]Org, len(orgs))
	for _, o := range orgs {
		byID[o.ID] = o
	}
	for n := 0; id != 0 && n <= len(orgs); n++ {
		o, ok := byID[id]
		if !ok {
			break
		}
		if o.Site.Theme != "" {
			return o.Site.Theme
		}
		id = o.ParentID
	}
	return "red"
}

// Label is the name to show where space is short.
func (o *Org) Label() string {
	if o.ShortName != "" {
		return o.ShortName
	}
	return o.Name
}

var (
	codeRe   = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z-]{1,31}$`)
	prefixRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)
	hostRe   = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$`)
)

// reservedPrefixes cannot be org path prefixes because the server uses
// them for its own routes.
var reservedPrefixes = map[string]bool{
	"admin": true, "static": true, "healthz": true, "metrics": true, "api": true,
	"log": true, "zh-hant": true, "col": true, "orgs": true, "search": true,
	"feed": true, "sitemap.xml": true, "robots.txt": true, "favicon.ico": true,
	"apply": true, "interact": true, "leave": true, "page": true, "item": true,
}

// Normalize trims the org's text fields and lower-cases host and prefix.
func (o *Org) Normalize() {
	o.Code = strings.TrimSpace(o.Code)
	o.Name = strings.TrimSpace(o.Name)
	o.ShortName = strings.TrimSpace(o.ShortName)
	s := &o.Site
	s.Name = strings.TrimSpace(s.Name)
	s.SiteCode = strings.TrimSpace(s.SiteCode)
	s.ICP = strings.TrimSpace(s.ICP)
	s.PSB = strings.TrimSpace(s.PSB)
	s.Address = strings.TrimSpace(s.Address)
	s.Phone = strings.TrimSpace(s.Phone)
	s.Host = strings.ToLower(strings.TrimSpace(s.Host))
	s.PathPrefix = strings.ToLower(strings.Trim(strings.TrimSpace(s.PathPrefix), "/"))
}

// Validate checks the shape of the org's fields. Uniqueness of code, host
// and prefix and the absence of cycles need data and are checked by the
// store and by CheckParent. The error is an *apperr.Invalid with messages in
// Simplified Chinese.
func (o *Org) Validate() error {
	inv := &apperr.Invalid{}
	if !codeRe.MatchString(o.Code) {
		inv.Add("code", "机构代码须为2至32位字母、数字或连字符，用于索引号，例如 011043240")
	}
	if o.Name == "" {
		inv.Add("name", "请填写机构全称")
	} else if utf8.RuneCountInString(o.Name) > 100 {
		inv.Add("name", "机构全称不能超过100个字")
	}
	if utf8.RuneCountInString(o.ShortName) > 50 {
		inv.Add("short_name", "机构简称不能超过50个字")
	}
	if o.Site.PathPrefix == "" || !prefixRe.MatchString(o.Site.PathPrefix) {
		inv.Add("path_prefix", "路径前缀须为1至32位小写字母、数字或连字符，例如 mzj")
	} else if reservedPrefixes[o.Site.PathPrefix] {
		inv.Add("path_prefix", fmt.Sprintf("路径前缀“%s”为系统保留，请换一个", o.Site.PathPrefix))
	}
	if o.Site.Host != "" && !hostRe.MatchString(o.Site.Host) {
		inv.Add("host", "域名格式不正确，例如 mzj.suizhou.gov.cn")
	}
	if utf8.RuneCountInString(o.Site.Name) > 100 {
		inv.Add("site_name", "网站名称不能超过100个字")
	}
	for field, v := range map[string]string{"site_code": o.Site.SiteCode, "icp": o.Site.ICP, "psb": o.Site.PSB, "phone": o.Site.Phone} {
		if utf8.RuneCountInString(v) > 64 {
			inv.Add(field, "内容过长，不能超过64个字")
		}
	}
	if o.Site.Theme != "" && !slices.ContainsFunc(Themes(), func(t Theme) bool { return t.Name == o.Site.Theme }) {
		inv.Add("theme", "请从列表中选择配色")
	}
	if utf8.RuneCountInString(o.Site.Address) > 200 {
		inv.Add("address", "地址不能超过200个字")
	}
	return inv.Err()
}

// CheckParent reports whether making parentID the parent of id would create a
// cycle. parentOf returns the parent of an org (0 for a root). id is 0 for a
// new org, which cannot be part of a cycle. The error is an *apperr.Invalid.
func CheckParent(id, parentID int64, parentOf func(int64) (int64, bool)) error {
	if parentID == 0 || id == 0 {
		return nil
	}
	seen := map[int64]bool{}
	for p := parentID; p != 0; {
		if p == id {
			return apperr.Invalidf("parent_id", "不能把机构移到它自己或它的下级机构之下")
		}
		if seen[p] {
			return apperr.Invalidf("parent_id", "机构树中已存在循环，请联系管理员")
		}
		seen[p] = true
		next, ok := parentOf(p)
		if !ok {
			return apperr.Invalidf("parent_id", "上级机构不存在")
		}
		p = next
	}
	return nil
}

// ValidExternalURL reports whether s is an absolute http or https URL.
func ValidExternalURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
