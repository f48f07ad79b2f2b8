//! Reference data that ships inside the binary: the communes of France with their postal codes
//! and intercommunalities (EPCI), and the NAF rév. 2 sub-classes.
//!
//! The files under `data/reference/` are generated from registry packages by
//! `make reference` and committed; nothing is fetched at run time, so the app works offline.
//! They are parsed once, on first use, into static tables.
//!
//! An INSEE code is text (Corsica's start with `2A` and `2B`) and is not unique across kinds:
//! a delegated commune may keep the code of the current commune it merged into (Hesdin and
//! Hesdin-la-Forêt are both 62447). `commune` resolves a code to the current commune first.
//! Never derive a department from a postal code: use the commune's `department`.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use ts_rs::TS;

const COMMUNES_TSV: &str = include_str!("../../../data/reference/communes.tsv");
const EPCI_TSV: &str = include_str!("../../../data/reference/epci.tsv");
const NAF_TSV: &str = include_str!("../../../data/reference/naf.tsv");

/// What a line of the commune table is, in the INSEE's Code officiel géographique.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CommuneKind {
    /// A commune as it exists today.
    Current,
    /// A former commune merged into a "commune nouvelle", kept as a delegated commune.
    Delegated,
    /// A former commune merged under the older "fusion-association" scheme.
    Associated,
    /// One of the arrondissements of Paris, Lyon or Marseille.
    MunicipalArrondissement,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Commune {
    /// INSEE code, as text: `62447`, `2A004`.
    pub insee: &'static str,
    pub name: &'static str,
    pub kind: CommuneKind,
    /// What a list of choices shows: the name, followed for a delegated or associated commune
    /// by its current commune, e.g. `Hesdin (commune déléguée de Hesdin-la-Forêt)`.
    pub label: String,
    /// The current commune a delegated or associated commune or an arrondissement belongs to.
    pub parent_insee: Option<&'static str>,
    pub parent_name: Option<&'static str>,
    /// Department code: `62`, `2A`, `971`.
    pub department: &'static str,
    /// Sorted. A delegated or associated commune has its current commune's postal codes.
    pub postal_codes: Vec<&'static str>,
    /// SIREN of its intercommunality; none for a few islands and overseas collectivities.
    pub epci: Option<&'static str>,
    /// Legal population; the source gives it for current communes and arrondissements only.
    pub population: Option<u32>,
}

impl Commune {
    pub fn is_current(&self) -> bool {
        self.kind == CommuneKind::Current
    }

    /// The current commune: itself, or the one it was merged into or belongs to.
    pub fn current(&'static self) -> &'static Commune {
        self.parent_insee.and_then(commune).unwrap_or(self)
    }

    pub fn epci(&self) -> Option<&'static Epci> {
        self.epci.and_then(epci)
    }
}

/// An intercommunality (EPCI à fiscalité propre) and its member communes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Epci {
    pub siren: &'static str,
    /// `CC`, `CA`, `CU`, `METRO` or `MET69` (Métropole de Lyon).
    pub kind: &'static str,
    pub name: &'static str,
    /// INSEE codes of its member communes (current communes), sorted.
    pub communes: Vec<&'static str>,
}

impl Epci {
    /// The kind in words: `Communauté de communes`…
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            "CC" => "Communauté de communes",
            "CA" => "Communauté d'agglomération",
            "CU" => "Communauté urbaine",
            "METRO" | "MET69" => "Métropole",
            _ => "Intercommunalité",
        }
    }

    pub fn members(&self) -> Vec<&'static Commune> {
        self.communes
            .iter()
            .filter_map(|code| commune(code))
            .collect()
    }
}

/// A NAF rév. 2 sub-class: the activity code of a business.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct NafEntry {
    /// Normalised: `47.11D`.
    pub code: &'static str,
    pub label: &'static str,
}

/// The name of the nomenclature `naf` and `search_naf` use, for messages.
pub const NAF_VERSION: &str = "NAF rév. 2";

/// Lowercase ASCII words separated by single spaces: `Hesdin-la-Forêt` → `hesdin la foret`.
/// Search compares folded texts, so accents, case and punctuation do not matter.
pub(crate) fn fold(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut folded = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            folded.push(c.to_ascii_lowercase());
        } else if !folded.is_empty() && !folded.ends_with(' ') {
            folded.push(' ');
        }
    }
    if folded.ends_with(' ') {
        folded.pop();
    }
    folded
}

/// A folded name with the byte offsets where its words start, for prefix search.
struct Folded {
    text: String,
    word_starts: Vec<usize>,
}

impl Folded {
    fn new(name: &str) -> Folded {
        let text = fold(name);
        let word_starts = text
            .char_indices()
            .filter(|&(i, _)| i == 0 || text.as_bytes()[i - 1] == b' ')
            .map(|(i, _)| i)
            .collect();
        Folded { text, word_starts }
    }

    /// 0: the whole name is the query; 1: the name starts with it; 2: a later word starts
    /// the query (`la foret` in `hesdin la foret`); None: no match.
    fn rank(&self, query: &str) -> Option<u8> {
        if self.text == query {
            Some(0)
        } else if self.text.starts_with(query) {
            Some(1)
        } else if self
            .word_starts
            .iter()
            .skip(1)
            .any(|&start| self.text[start..].starts_with(query))
        {
            Some(2)
        } else {
            None
        }
    }
}

struct CommuneTables {
    communes: Vec<Commune>,
    folded: Vec<Folded>,
    /// INSEE code → index; a current commune wins over a delegated one with the same code.
    by_insee: HashMap<&'static str, usize>,
    by_postal_code: HashMap<&'static str, Vec<usize>>,
    epcis: Vec<Epci>,
    epci_by_siren: HashMap<&'static str, usize>,
}

struct NafTables {
    entries: Vec<NafEntry>,
    folded: Vec<Folded>,
    by_code: HashMap<&'static str, usize>,
}

/// The data lines of a committed TSV file: no comments, no blank lines.
fn data_lines(tsv: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    tsv.lines()
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| line.split('\t').collect())
}

fn non_empty(text: &'static str) -> Option<&'static str> {
    (!text.is_empty()).then_some(text)
}

fn commune_tables() -> &'static CommuneTables {
    static TABLES: OnceLock<CommuneTables> = OnceLock::new();
    TABLES.get_or_init(load_communes)
}

fn naf_tables() -> &'static NafTables {
    static TABLES: OnceLock<NafTables> = OnceLock::new();
    TABLES.get_or_init(load_naf)
}

// The files are generated, committed and covered by the tests below: a malformed line is a
// build mistake, not something a user can cause, so it panics with the line.
fn load_communes() -> CommuneTables {
    let mut communes = Vec::with_capacity(38_000);
    for fields in data_lines(COMMUNES_TSV) {
        let [insee, name, kind, parent, department, postal_codes, epci, population] = fields[..]
        else {
            panic!("communes.tsv: expected 8 fields in {fields:?}");
        };
        let kind = match kind {
            "C" => CommuneKind::Current,
            "D" => CommuneKind::Delegated,
            "A" => CommuneKind::Associated,
            "M" => CommuneKind::MunicipalArrondissement,
            other => panic!("communes.tsv: unknown kind {other:?} for {insee}"),
        };
        communes.push(Commune {
            insee,
            name,
            kind,
            label: String::new(),
            parent_insee: non_empty(parent),
            parent_name: None,
            department,
            postal_codes: postal_codes.split(',').filter(|c| !c.is_empty()).collect(),
            epci: non_empty(epci),
            population: non_empty(population).map(|p| {
                p.parse()
                    .unwrap_or_else(|_| panic!("communes.tsv: population {p:?} of {insee}"))
            }),
        });
    }

    let mut by_insee = HashMap::with_capacity(communes.len());
    for (i, c) in communes.iter().enumerate() {
        if c.is_current() {
            by_insee.insert(c.insee, i);
        }
    }
    for (i, c) in communes.iter().enumerate() {
        by_insee.entry(c.insee).or_insert(i);
    }

    for i in 0..communes.len() {
        let Some(parent) = communes[i].parent_insee else {
            communes[i].label = communes[i].name.to_owned();
            continue;
        };
        let parent_name = by_insee
            .get(parent)
            .map(|&p| communes[p].name)
            .unwrap_or_else(|| panic!("communes.tsv: unknown parent {parent}"));
        let c = &mut communes[i];
        c.parent_name = Some(parent_name);
        c.label = match c.kind {
            CommuneKind::Delegated => format!("{} (commune déléguée de {parent_name})", c.name),
            CommuneKind::Associated => format!("{} (commune associée à {parent_name})", c.name),
            CommuneKind::Current | CommuneKind::MunicipalArrondissement => c.name.to_owned(),
        };
    }

    let mut by_postal_code: HashMap<&'static str, Vec<usize>> = HashMap::new();
    for (i, c) in communes.iter().enumerate() {
        for code in &c.postal_codes {
            by_postal_code.entry(code).or_default().push(i);
        }
    }
    let folded: Vec<Folded> = communes.iter().map(|c| Folded::new(c.name)).collect();
    for indices in by_postal_code.values_mut() {
        indices.sort_by(|&a, &b| {
            (&folded[a].text, communes[a].kind as u8, communes[a].insee).cmp(&(
                &folded[b].text,
                communes[b].kind as u8,
                communes[b].insee,
            ))
        });
    }

    let mut epcis: Vec<Epci> = data_lines(EPCI_TSV)
        .map(|fields| {
            let [siren, kind, name] = fields[..] else {
                panic!("epci.tsv: expected 3 fields in {fields:?}");
            };
            Epci {
                siren,
                kind,
                name,
                communes: Vec::new(),
            }
        })
        .collect();
    let epci_by_siren: HashMap<&'static str, usize> = epcis
        .iter()
        .enumerate()
        .map(|(i, e)| (e.siren, i))
        .collect();
    for c in communes.iter().filter(|c| c.is_current()) {
        if let Some(siren) = c.epci {
            let &i = epci_by_siren
                .get(siren)
                .unwrap_or_else(|| panic!("communes.tsv: unknown EPCI {siren} for {}", c.insee));
            epcis[i].communes.push(c.insee);
        }
    }
    for e in &mut epcis {
        e.communes.sort_unstable();
    }

    CommuneTables {
        communes,
        folded,
        by_insee,
        by_postal_code,
        epcis,
        epci_by_siren,
    }
}

fn load_naf() -> NafTables {
    let entries: Vec<NafEntry> = data_lines(NAF_TSV)
        .map(|fields| {
            let [code, label] = fields[..] else {
                panic!("naf.tsv: expected 2 fields in {fields:?}");
            };
            NafEntry { code, label }
        })
        .collect();
    let folded = entries.iter().map(|e| Folded::new(e.label)).collect();
    let by_code = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.code, i))
        .collect();
    NafTables {
        entries,
        folded,
        by_code,
    }
}

/// Every commune, current or not, sorted by INSEE code.
pub fn communes() -> &'static [Commune] {
    &commune_tables().communes
}

/// The commune with this INSEE code: the current commune when a delegated one shares its
/// code. Accepts lowercase `2a004`.
pub fn commune(insee: &str) -> Option<&'static Commune> {
    let tables = commune_tables();
    let insee = insee.trim().to_ascii_uppercase();
    tables
        .by_insee
        .get(insee.as_str())
        .map(|&i| &tables.communes[i])
}

/// The communes a postal code serves, for the advisor to choose from: current communes, and
/// the delegated and associated communes and arrondissements under it (their `label` names
/// their current commune). Sorted by name; empty for an unknown code.
pub fn communes_for_postal_code(code: &str) -> Vec<&'static Commune> {
    let tables = commune_tables();
    tables
        .by_postal_code
        .get(code.trim())
        .map(|indices| indices.iter().map(|&i| &tables.communes[i]).collect())
        .unwrap_or_default()
}

/// Whether some commune has this postal code.
pub fn is_known_postal_code(code: &str) -> bool {
    commune_tables().by_postal_code.contains_key(code)
}

/// Communes whose name, or a word of it onwards, starts with the query, ignoring accents, case
/// and punctuation: `hesdin` finds Hesdin, Hesdin-la-Forêt and Hesdin-l'Abbé; `la foret`
/// finds Hesdin-la-Forêt. `st` and `ste` before another word read as Saint and Sainte. A query
/// of digits matches the start of postal codes. Exact names come first, then names starting
/// with the query, then the rest; larger communes first within each.
pub fn search_communes(query: &str, limit: usize) -> Vec<&'static Commune> {
    let tables = commune_tables();
    let compact: String = query.chars().filter(|c| !c.is_whitespace()).collect();
    if !compact.is_empty() && compact.len() <= 5 && compact.bytes().all(|b| b.is_ascii_digit()) {
        return search_communes_by_postal_code(tables, &compact, limit);
    }
    let query = expand_saints(&fold(query));
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut found: Vec<(u8, usize)> = tables
        .folded
        .iter()
        .enumerate()
        .filter_map(|(i, folded)| folded.rank(&query).map(|rank| (rank, i)))
        .collect();
    found.sort_by(|&(rank_a, a), &(rank_b, b)| {
        let (ca, cb) = (&tables.communes[a], &tables.communes[b]);
        (rank_a, ca.kind as u8, std::cmp::Reverse(ca.population))
            .cmp(&(rank_b, cb.kind as u8, std::cmp::Reverse(cb.population)))
            .then_with(|| tables.folded[a].text.cmp(&tables.folded[b].text))
            .then_with(|| ca.insee.cmp(cb.insee))
    });
    found
        .into_iter()
        .take(limit)
        .map(|(_, i)| &tables.communes[i])
        .collect()
}

fn search_communes_by_postal_code(
    tables: &'static CommuneTables,
    prefix: &str,
    limit: usize,
) -> Vec<&'static Commune> {
    let mut found: Vec<(&'static str, usize)> = tables
        .communes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            c.postal_codes
                .iter()
                .find(|code| code.starts_with(prefix))
                .map(|&code| (code, i))
        })
        .collect();
    found.sort_by(|&(code_a, a), &(code_b, b)| {
        (
            code_a,
            &tables.folded[a].text,
            tables.communes[a].kind as u8,
        )
            .cmp(&(
                code_b,
                &tables.folded[b].text,
                tables.communes[b].kind as u8,
            ))
    });
    found
        .into_iter()
        .take(limit)
        .map(|(_, i)| &tables.communes[i])
        .collect()
}

/// The official names spell Saint out; people type `St Omer`. The last word is left alone,
/// as it may be the start of a longer word (`st` → Strasbourg).
fn expand_saints(folded: &str) -> String {
    let words: Vec<&str> = folded.split(' ').collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, &word)| match word {
            "st" if i < last => "saint",
            "ste" if i < last => "sainte",
            _ => word,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every intercommunality, sorted by SIREN.
pub fn epcis() -> &'static [Epci] {
    &commune_tables().epcis
}

/// The intercommunality with this SIREN.
pub fn epci(siren: &str) -> Option<&'static Epci> {
    let tables = commune_tables();
    tables
        .epci_by_siren
        .get(siren.trim())
        .map(|&i| &tables.epcis[i])
}

/// `47.11D` from any accepted writing, or None when the text does not have the shape of a
/// sub-class code (two digits, two digits, a letter). Says nothing of existence.
pub(crate) fn normalise_naf(input: &str) -> Option<String> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = compact.as_bytes();
    let digits_and_letter: Vec<u8> = match bytes {
        [a, b, b'.', rest @ ..] if rest.len() == 3 => [&[*a, *b][..], rest].concat(),
        _ if bytes.len() == 5 => bytes.to_vec(),
        _ => return None,
    };
    let (digits, letter) = digits_and_letter.split_at(4);
    if !digits.iter().all(u8::is_ascii_digit) || !letter[0].is_ascii_uppercase() {
        return None;
    }
    Some(format!(
        "{}{}.{}{}{}",
        digits[0] as char,
        digits[1] as char,
        digits[2] as char,
        digits[3] as char,
        letter[0] as char
    ))
}

/// Every NAF sub-class, sorted by code.
pub fn naf_entries() -> &'static [NafEntry] {
    &naf_tables().entries
}

/// The sub-class with this code, in any writing `NafCode::parse` accepts (`4711D`, `47.11d`).
pub fn naf(code: &str) -> Option<&'static NafEntry> {
    let code = normalise_naf(code)?;
    let tables = naf_tables();
    tables
        .by_code
        .get(code.as_str())
        .map(|&i| &tables.entries[i])
}

/// Sub-classes whose code starts with the query (`47.1`, `4711`), then those whose label, or
/// a word of it onwards, starts with it (`boulang` finds 10.71B and 10.71C). Sorted by code
/// within each group.
/// Intercommunalities whose name contains every word of `query` (accents and case ignored).
pub fn search_epcis(query: &str, limit: usize) -> Vec<&'static Epci> {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
    if words.is_empty() {
        return Vec::new();
    }
    epcis()
        .iter()
        .filter(|e| {
            let name = fold(e.name);
            words.iter().all(|w| name.contains(w.as_str()))
        })
        .take(limit)
        .collect()
}

pub fn search_naf(query: &str, limit: usize) -> Vec<&'static NafEntry> {
    let tables = naf_tables();
    let code_query: String = query
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect::<String>()
        .to_ascii_uppercase();
    let by_code = !code_query.is_empty() && code_query.bytes().take(2).all(|b| b.is_ascii_digit());
    let query = fold(query);
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let mut found: Vec<(u8, usize)> = tables
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            if by_code && entry.code.replace('.', "").starts_with(&code_query) {
                return Some((0, i));
            }
            tables.folded[i].rank(&query).map(|rank| (rank + 1, i))
        })
        .collect();
    found.sort_unstable();
    found
        .into_iter()
        .take(limit)
        .map(|(_, i)| &tables.entries[i])
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_the_reference_files_loads() {
        assert!(communes().len() > 37_000, "{} communes", communes().len());
        assert_eq!(epcis().len(), 1255);
        assert_eq!(naf_entries().len(), 732, "NAF rév. 2 has 732 sub-classes");
    }

    #[test]
    fn insee_62447_is_hesdin_la_foret() {
        let c = commune("62447").expect("62447 exists");
        assert_eq!(c.name, "Hesdin-la-Forêt");
        assert_eq!(c.kind, CommuneKind::Current);
        assert_eq!(c.department, "62");
        assert_eq!(c.postal_codes, ["62140"]);
        assert_eq!(c.epci().map(|e| e.name), Some("CC des 7 Vallées"));
    }

    #[test]
    fn postal_code_62140_offers_hesdin_la_foret_and_delegated_hesdin() {
        let communes = communes_for_postal_code("62140");
        assert!(
            communes.len() > 10,
            "62140 serves many communes: {}",
            communes.len()
        );
        assert!(communes
            .iter()
            .any(|c| c.name == "Hesdin-la-Forêt" && c.is_current()));
        let hesdin = communes
            .iter()
            .find(|c| c.name == "Hesdin")
            .expect("delegated Hesdin is offered under 62140");
        assert_eq!(hesdin.kind, CommuneKind::Delegated);
        assert_eq!(hesdin.parent_insee, Some("62447"));
        assert_eq!(hesdin.label, "Hesdin (commune déléguée de Hesdin-la-Forêt)");
        assert_eq!(hesdin.current().name, "Hesdin-la-Forêt");
        let labels: Vec<&str> = communes.iter().map(|c| c.label.as_str()).collect();
        let mut sorted = labels.clone();
        sorted.sort_by_key(|label| fold(label));
        assert_eq!(labels, sorted, "sorted by name");
    }

    #[test]
    fn unknown_postal_code_offers_nothing() {
        assert!(communes_for_postal_code("62999").is_empty());
        assert!(!is_known_postal_code("62999"));
        assert!(is_known_postal_code("62140"));
    }

    #[test]
    fn hesdin_search_finds_the_old_and_the_new_commune_exact_name_first() {
        let found = search_communes("hesdin", 10);
        let names: Vec<&str> = found.iter().map(|c| c.name).collect();
        assert_eq!(names[0], "Hesdin", "exact name first: {names:?}");
        assert!(names.contains(&"Hesdin-la-Forêt"), "{names:?}");
        assert!(names.contains(&"Hesdin-l'Abbé"), "{names:?}");
    }

    #[test]
    fn search_ignores_accents_case_punctuation_and_finds_later_words() {
        let first = |q: &str| search_communes(q, 1).first().map(|c| c.name);
        assert_eq!(first("HESDIN LA FORET"), Some("Hesdin-la-Forêt"));
        assert!(search_communes("la forêt", 50)
            .iter()
            .any(|c| c.name == "Hesdin-la-Forêt"));
        assert_eq!(first("st omer"), Some("Saint-Omer"));
        assert_eq!(first("ajaccio"), Some("Ajaccio"));
        assert!(search_communes("", 10).is_empty());
        assert!(search_communes("  -- ", 10).is_empty());
        assert_eq!(search_communes("saint", 7).len(), 7, "limit is honoured");
    }

    #[test]
    fn digits_search_postal_codes() {
        let found = search_communes("6214", 100);
        assert!(found.iter().any(|c| c.name == "Hesdin-la-Forêt"));
        assert!(found
            .iter()
            .all(|c| c.postal_codes.iter().any(|p| p.starts_with("6214"))));
    }

    #[test]
    fn corsican_insee_codes_are_text() {
        let ajaccio = commune("2A004").expect("Ajaccio");
        assert_eq!(ajaccio.name, "Ajaccio");
        assert_eq!(ajaccio.department, "2A");
        assert_eq!(commune("2a004").map(|c| c.name), Some("Ajaccio"));
        assert!(commune("20004").is_none(), "the pre-1976 code is gone");
    }

    #[test]
    fn pas_de_calais_has_887_current_communes() {
        let count = communes()
            .iter()
            .filter(|c| c.department == "62" && c.is_current())
            .count();
        assert_eq!(count, 887);
    }

    #[test]
    fn municipal_arrondissements_point_to_their_city() {
        let paris_1 = commune("75101").expect("Paris 1er");
        assert_eq!(paris_1.kind, CommuneKind::MunicipalArrondissement);
        assert_eq!(paris_1.current().name, "Paris");
        assert!(communes_for_postal_code("75001")
            .iter()
            .any(|c| c.insee == "75056"));
    }

    #[test]
    fn an_epci_lists_its_current_member_communes() {
        let seven_valleys = epci("200044030").expect("CC des 7 Vallées");
        assert_eq!(seven_valleys.kind_label(), "Communauté de communes");
        assert!(seven_valleys.communes.contains(&"62447"));
        let members = seven_valleys.members();
        assert_eq!(members.len(), seven_valleys.communes.len());
        assert!(members
            .iter()
            .all(|c| c.is_current() && c.epci == Some("200044030")));
        let total: usize = epcis().iter().map(|e| e.communes.len()).sum();
        let current_in_an_epci = communes()
            .iter()
            .filter(|c| c.is_current() && c.epci.is_some())
            .count();
        assert_eq!(total, current_in_an_epci, "each commune in one EPCI");
    }

    #[test]
    fn naf_47_11d_is_supermarkets() {
        let entry = naf("47.11D").expect("47.11D exists");
        assert_eq!(entry.code, "47.11D");
        assert_eq!(entry.label, "Supermarchés");
        assert_eq!(naf("4711d"), Some(entry));
        assert!(naf("47.11X").is_none());
        assert!(naf("nonsense").is_none());
    }

    #[test]
    fn naf_search_by_code_then_by_label() {
        let codes: Vec<&str> = search_naf("47.11", 10).iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            ["47.11A", "47.11B", "47.11C", "47.11D", "47.11E", "47.11F"]
        );
        let bakeries = search_naf("boulangerie", 10);
        assert!(bakeries.iter().any(|e| e.code == "10.71C"), "{bakeries:?}");
        assert!(search_naf("", 10).is_empty());
    }

    #[test]
    fn intercommunalities_are_found_by_words_of_their_name() {
        let found = search_epcis("7 vallees", 5);
        assert!(
            found.iter().any(|e| e.name.contains("7 Vallées")),
            "{:?}",
            found.iter().map(|e| e.name).collect::<Vec<_>>()
        );
        assert!(search_epcis("  ", 5).is_empty());
    }

    #[test]
    fn fold_keeps_only_lowercase_ascii_words() {
        assert_eq!(fold("Hesdin-la-Forêt"), "hesdin la foret");
        assert_eq!(fold("  L'Île-d'Yeu  "), "l ile d yeu");
        assert_eq!(fold("Œuilly"), "oeuilly");
        assert_eq!(fold("--"), "");
    }
}
