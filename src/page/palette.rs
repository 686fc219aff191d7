//! The page's colours, light and dark, and the stylesheet built from them. The colours
//! live in one table so that a unit test can check every pair a reader depends on
//! against WCAG AA (4.5:1 for text, 3:1 for marks in the chart).

use std::fmt::Write as _;

/// What a colour is used for, which decides the contrast it needs against its background.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A background: other colours are checked against it.
    Background,
    /// Text drawn on the page background (4.5:1).
    Text,
    /// Marks and lines in the chart, on the page background (3:1).
    Graphic,
    /// Decoration nobody has to read (rules, gridlines): not checked.
    Decoration,
}

/// One colour: its CSS variable, light and dark values, its role.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Colour {
    pub name: &'static str,
    pub light: &'static str,
    pub dark: &'static str,
    /// Read by the contrast test: which ratio this colour must reach.
    #[cfg_attr(not(test), allow(dead_code))]
    pub role: Role,
}

const fn colour(name: &'static str, light: &'static str, dark: &'static str, role: Role) -> Colour {
    Colour {
        name,
        light,
        dark,
        role,
    }
}

/// Every colour of the page. `--bg` is the page; `--badge-bg` carries `--badge-fg`.
pub(crate) const PALETTE: [Colour; 11] = [
    colour("bg", "#fbf9f5", "#17191d", Role::Background),
    colour("card", "#f3efe7", "#20232a", Role::Background),
    colour("fg", "#1e2227", "#e8e6e1", Role::Text),
    colour("muted", "#545b63", "#a9b0b8", Role::Text),
    colour("accent", "#8c3f1c", "#f0a27a", Role::Text),
    colour("line", "#a4502a", "#e8925f", Role::Graphic),
    colour("mark", "#7a3514", "#ffc4a3", Role::Graphic),
    colour("contact", "#1d5f78", "#7cc7e2", Role::Graphic),
    colour("step", "#3d6b2f", "#9fd18b", Role::Graphic),
    colour("rule", "#ddd5c8", "#343842", Role::Decoration),
    colour("badge-fg", "#6b2b0f", "#ffd9c4", Role::Text),
];

/// The badge's background ("unsent"), checked against `--badge-fg` rather than the page.
pub(crate) const BADGE_BG: (&str, &str) = ("#f8e1d4", "#4a2a1b");

fn variables(out: &mut String, dark: bool) {
    for c in PALETTE {
        let _ = write!(out, "--{}:{};", c.name, if dark { c.dark } else { c.light });
    }
    let _ = write!(
        out,
        "--badge-bg:{};",
        if dark { BADGE_BG.1 } else { BADGE_BG.0 }
    );
}

/// The whole stylesheet: the page on screen, light and dark, and in print.
pub(crate) fn stylesheet() -> String {
    let mut css = String::from(":root{color-scheme:light dark;");
    variables(&mut css, false);
    css.push_str("}\n@media (prefers-color-scheme: dark){:root{");
    variables(&mut css, true);
    css.push_str("}}\n");
    css.push_str(LAYOUT);
    // Paper is white whatever the screen: print the light colours.
    css.push_str("@media print{:root{color-scheme:light;");
    variables(&mut css, false);
    css.push_str("--bg:#ffffff;}\n");
    css.push_str(PRINT);
    css.push_str("}\n");
    css
}

/// Layout and type: system fonts only (nothing is fetched), a measure of about 70
/// characters, generous line height.
const LAYOUT: &str = "\
*,*::before,*::after{box-sizing:border-box}
html{background:var(--bg);color:var(--fg);font-family:Charter,'Bitstream Charter','Sitka Text',Cambria,Georgia,'DejaVu Serif',serif;font-size:112.5%;line-height:1.6}
body{margin:0;padding:2.5rem 1.25rem 4rem}
main{max-width:42rem;margin:0 auto;overflow-wrap:break-word}
h1,h2,h3,h4,.kicker,figcaption,dt,.when,nav,summary,.badge,.legend{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans','DejaVu Sans',sans-serif}
h1{font-size:2.1rem;line-height:1.2;margin:.3rem 0 .5rem;color:var(--fg)}
h2{font-size:1.45rem;line-height:1.3;margin:3rem 0 .75rem;color:var(--accent);border-bottom:1px solid var(--rule);padding-bottom:.35rem}
h3{font-size:1.05rem;margin:2rem 0 .5rem;color:var(--fg)}
h4{font-size:1rem;font-weight:600;margin:1.4rem 0 .3rem;color:var(--fg)}
p{margin:.4rem 0}
a{color:var(--accent)}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.8rem;color:var(--muted);margin:0}
.made,.status,.when,.range,.empty,.legend,figcaption{color:var(--muted)}
.when{font-size:.85rem}
.a{white-space:pre-wrap;overflow-wrap:anywhere;margin:.2rem 0 .2rem;padding-left:.9rem;border-left:3px solid var(--rule)}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:1.5rem 0;padding:1rem 1.2rem;background:var(--card);border-radius:.5rem}
.facts dt{color:var(--muted);font-size:.9rem;padding-top:.1rem}
.facts dd{margin:0}
nav ol{padding-left:1.2rem;columns:2;font-size:.95rem}
.visit{margin-top:1rem}
details{margin:1rem 0;padding:.6rem .9rem;background:var(--card);border-radius:.4rem}
summary{cursor:pointer;color:var(--fg);font-size:.95rem}
details dl{margin:.6rem 0 0}
details dt{font-weight:600;font-size:.95rem;margin-top:.5rem}
details dd{margin:0 0 0 1rem}
.badge{display:inline-block;font-size:.75rem;font-weight:600;letter-spacing:.03em;padding:.05rem .5rem;border-radius:1rem;background:var(--badge-bg);color:var(--badge-fg);vertical-align:.1em;margin-left:.4rem}
.tags{color:var(--muted);font-size:.9rem}
figure{margin:1rem 0}
figcaption{font-size:.9rem;line-height:1.5}
.chart svg{width:100%;height:auto;display:block}
.chart text{fill:var(--muted);font-family:system-ui,sans-serif;font-size:12px}
.grid{stroke:var(--rule);stroke-width:1}
.week{stroke:var(--rule);stroke-width:1;stroke-dasharray:2 4}
.mood-line{fill:none;stroke:var(--line);stroke-width:2.5;stroke-linejoin:round;stroke-linecap:round}
.check-in{fill:var(--mark);stroke:var(--bg);stroke-width:1.5}
.step-rule{stroke:var(--step);stroke-width:1.5;stroke-dasharray:4 3}
.step-done{fill:var(--step)}
.contact{stroke:var(--contact);stroke-width:2}
.contact.from-them{fill:var(--contact)}
.contact.from-me{fill:var(--bg)}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.4rem;font-size:.85rem;margin:.5rem 0;padding:0;list-style:none}
.legend svg{vertical-align:-.15em;margin-right:.35rem}
table{border-collapse:collapse;font-size:.9rem;width:100%}
th,td{text-align:left;padding:.25rem .6rem .25rem 0;border-bottom:1px solid var(--rule);vertical-align:top}
td:not(:last-child){white-space:nowrap}
td:last-child{overflow-wrap:anywhere}
.timeline{list-style:none;padding:0;margin:0;border-left:2px solid var(--rule)}
.timeline li{position:relative;padding:0 0 1rem 1.2rem}
.timeline li::before{content:'';position:absolute;left:-.42rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;border:2px solid var(--contact);background:var(--bg)}
.timeline li.from-them::before{background:var(--contact)}
.closing{margin-top:4rem;padding-top:1.2rem;border-top:1px solid var(--rule)}
.closing p:first-child{font-size:1.1rem}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
";

/// On paper: the size comes from the print dialog (A4 or Letter); margins and the
/// measure suit both, each step starts on a new page, folded parts print unfolded
/// (where the browser allows it) and the contents list stays on screen.
const PRINT: &str = "\
@page{margin:18mm 16mm}
html{font-size:11pt}
body{padding:0}
main{max-width:none}
nav{display:none}
summary{list-style:none;font-weight:600}
.step{break-before:page}
h2,h3,h4{break-after:avoid}
.qa,.timeline li,figure{break-inside:avoid}
details{background:none;padding:0}
details::details-content{content-visibility:visible;display:block}
a{color:inherit;text-decoration:none}
";

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of a `#rrggbb` colour.
    fn luminance(hex: &str) -> Option<f64> {
        let hex = hex.strip_prefix('#')?;
        if hex.len() != 6 {
            return None;
        }
        let channel = |i: usize| -> Option<f64> {
            let v = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
            Some(if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            })
        };
        Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
    }

    /// WCAG contrast ratio between two `#rrggbb` colours (1 to 21).
    fn contrast(a: &str, b: &str) -> Option<f64> {
        let (la, lb) = (luminance(a)?, luminance(b)?);
        let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
        Some((hi + 0.05) / (lo + 0.05))
    }

    #[test]
    fn the_contrast_formula_matches_known_values() {
        assert!((contrast("#000000", "#ffffff").unwrap() - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#ffffff").unwrap() - 4.48).abs() < 0.01);
        assert!((contrast("#ffffff", "#ffffff").unwrap() - 1.0).abs() < 1e-9);
        assert_eq!(contrast("#fff", "#000000"), None);
    }

    #[test]
    fn every_colour_passes_wcag_aa_on_every_background_light_and_dark() {
        let backgrounds: Vec<_> = PALETTE
            .iter()
            .filter(|c| c.role == Role::Background)
            .collect();
        let mut checked = 0;
        for c in PALETTE.iter().filter(|c| c.name != "badge-fg") {
            let need = match c.role {
                Role::Text => 4.5,
                Role::Graphic => 3.0,
                Role::Background | Role::Decoration => continue,
            };
            for bg in &backgrounds {
                for (fg, back, scheme) in [(c.light, bg.light, "light"), (c.dark, bg.dark, "dark")]
                {
                    let ratio = contrast(fg, back).unwrap();
                    assert!(
                        ratio >= need,
                        "--{} on --{} ({scheme}): {ratio:.2}:1, needs {need}:1",
                        c.name,
                        bg.name
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked >= 24, "every text and graphic colour was checked");
        // Print uses the light text on white.
        for c in PALETTE.iter().filter(|c| c.role == Role::Text) {
            assert!(
                contrast(c.light, "#ffffff").unwrap() >= 4.5,
                "--{} on paper",
                c.name
            );
        }
    }

    #[test]
    fn the_badge_text_passes_on_the_badge() {
        let fg = PALETTE.iter().find(|c| c.name == "badge-fg").unwrap();
        assert!(contrast(fg.light, BADGE_BG.0).unwrap() >= 4.5);
        assert!(contrast(fg.dark, BADGE_BG.1).unwrap() >= 4.5);
    }

    #[test]
    fn the_stylesheet_has_dark_print_and_every_variable() {
        let css = stylesheet();
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
        assert!(css.contains("@media print"));
        assert!(css.contains(".step{break-before:page}"));
        assert!(css.contains("@page{"));
        for c in PALETTE {
            assert!(
                css.contains(&format!("--{}:{};", c.name, c.dark)),
                "{}",
                c.name
            );
        }
        assert!(!css.contains("url("), "nothing is fetched");
        assert!(!css.contains("@import"));
    }
}
