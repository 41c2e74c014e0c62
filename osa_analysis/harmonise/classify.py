"""Canonical incident fields derived from each source's own labels and text.

Implements the crosswalk of ``brief-anchors.md`` A2.6 for the fields the briefs need:
``category``, ``outcome``, ``severity``, ``weapon``, ``crew_treatment``, ``vessel_status`` and
``vessel_type_std``. The source's own labels stay beside them unchanged; each derived field
has a ``*_basis`` column saying whether it came from a source label (``source``), from rules
on the text (``derived``), or could not be set (NA).

The rules are ordered regular expressions (first match wins), kept here as data so they can
be read, tested and scored against labelled sources (ReCAAP ``classification``, IMB
``attack_type``). They are heuristics: ReCAAP applies analyst judgement and no rule set will
match it perfectly (:func:`severity_agreement` reports the agreement rate).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

CLASSIFIER_VERSION = "crosswalk-v2"

CATEGORIES = ("piracy_armed_robbery", "gray_zone_coercion", "other_hostile")
OUTCOMES = ("hijacked", "boarded", "fired_upon", "attempted", "suspicious_approach", "other")
SEVERITIES = ("CAT1", "CAT2", "CAT3", "CAT4", "Attempted")
WEAPONS = ("gun", "knife_or_machete", "other", "none", "unknown")
CREW_TREATMENTS = (
    "killed",
    "kidnapped",
    "held_hostage_or_tied",
    "injured",
    "assaulted",
    "threatened",
    "none",
    "unknown",
)
VESSEL_STATUSES = ("berthed", "anchored", "underway", "unknown")
VESSEL_TYPES = (
    "tanker",
    "bulk",
    "container",
    "general_cargo",
    "tug_barge",
    "fishing",
    "offshore_supply",
    "passenger",
    "yacht",
    "naval_or_government",
    "other",
    "unknown",
)

GRAY_ZONE_SOURCES = frozenset({"scsdi_geocoded", "scsdi_published"})

# --- ordered rules: (value, regex on lower-case text); first match wins -------------------

OTHER_HOSTILE_RULES = (
    r"military activity|missile|shell(?:ed|ing)|drone[- ]strike|\bdrone\b|airstrike|"
    r"air strike|\bmine\b|naval mine|gps[- ]jamming|jamming|spoofing|"
    r"detained by|seized by (?:the )?(?:iran|irgc|navy|coast guard|authorities)|"
    r"revolutionary guard|houthi|protest|military|warship|naval vessel fired|"
    r"seizure|explosion|explosive"
)
"""Hostile acts that are not piracy or robbery (state or military action, protests...)."""

LABEL_OUTCOMES = {
    # IMB attack_type, ReCAAP incidentType, le-phare/live types, ASAM hostility words
    "hijacked": "hijacked",
    "hijack": "hijacked",
    "hijacking": "hijacked",
    "pirate hijacking": "hijacked",
    "boarded": "boarded",
    "boarding": "boarded",
    "robbery/theft": "boarded",
    "fired upon": "fired_upon",
    "attempted": "attempted",
    "attempted boarding": "attempted",
    "attempted robbery": "attempted",
    "suspicious": "suspicious_approach",
    "suspicious approach": "suspicious_approach",
    "suspicous approach": "suspicious_approach",
}
"""Source labels that state the outcome directly (lower-case)."""

TEXT_OUTCOME_RULES = (
    ("hijacked", r"hijack|took control of the (?:ship|vessel)|commandeer"),
    (
        "attempted",
        r"attempt(?:ed|ing)? to board|attempted boarding|failed to board|unable to board|"
        r"aborted (?:the )?(?:attempt|boarding)|boarding attempt",
    ),
    ("boarded", r"\bboard(?:ed|ing)\b|climbed|\bstole\b|\bstolen\b|robbed|broke into|theft"),
    ("fired_upon", r"fired (?:up)?on|fired at|shot at|opened fire|gunfire"),
    ("suspicious_approach", r"approach|suspicious|chased|followed|came alongside"),
)
"""Outcome from the narrative when no label states it (order: worst to least)."""

WEAPON_RULES = (
    ("gun", r"\bguns?\b|gunmen|firearm|rifle|pistol|\bak-?47|automatic weapon|\bshot\b|fired"),
    ("knife_or_machete", r"knife|knives|machete|parang|cutlass|bolo"),
    ("other", r"\bbat\b|\bbats\b|iron bar|\bstick|rod\b|\bclub"),
    ("none", r"\bunarmed\b|no weapons?\b|not armed"),
)
CREW_RULES = (
    ("killed", r"\bkilled\b|\bdied\b|\bdead\b|murder"),
    ("kidnapped", r"kidnap|abduct|taken ashore|taken off the (?:ship|vessel)|ransom"),
    (
        "held_hostage_or_tied",
        r"hostage|\btied (?:up|the|him|her|them|his|their)\b|held captive|locked (?:up|in)|"
        r"\b(?:was|were|been|being) bound\b|\bbound (?:up|and|with|the|him|her|them|his|their)\b|"
        r"\bbound (?:hand|crew)",
    ),
    ("injured", r"injur|wounded|\bhurt\b|\bstab(?:bed|bing|s)?\b"),
    ("assaulted", r"assault|beat(?:en)?\b|attacked the (?:crew|watch|master)|\bhit\b"),
    ("threatened", r"threat|at knife ?point|at gun ?point|intimidat"),
    ("none", r"crew (?:were |was )?(?:not harmed|unharmed|safe|not injured)|no injur"),
)
CAT1_RULES = r"hijack|kidnap|abduct|killed|siphon|cargo (?:was )?stolen|ship was taken"
"""ReCAAP CAT1 markers (A2.2): hijacking, abduction, deaths, cargo or fuel theft."""

STATUS_LABELS = {
    "anchored": "anchored",
    "at anchor": "anchored",
    "stationary": "anchored",
    "drifting": "underway",
    "steaming": "underway",
    "underway": "underway",
    "berthed": "berthed",
    "moored": "berthed",
    "alongside": "berthed",
}
STATUS_TEXT_RULES = (
    ("berthed", r"\bberthed\b|alongside (?:the )?(?:berth|pier|jetty|wharf)|\bmoored\b|at berth"),
    ("anchored", r"\banchored\b|at anchor|anchorage"),
    ("underway", r"\bunderway\b|under way|\bsteaming\b|\bsailing\b|\btransiting\b|en route"),
)
VESSEL_TYPE_RULES = (
    ("tanker", r"tanker|\blpg\b|\blng\b|vlcc|\bgas carrier|product carrier"),
    ("bulk", r"bulk|ore carrier|wood ?chip"),
    ("container", r"container"),
    ("tug_barge", r"\btug|barge|towing|dredger"),
    ("fishing", r"fishing|trawler|dhow|fishermen"),
    ("offshore_supply", r"offshore|supply (?:ship|vessel)|\bpsv\b|\bahts\b|\brig\b|pipe lay"),
    ("passenger", r"passenger|ferry|cruise"),
    ("yacht", r"yacht|sailing vessel|sailboat|catamaran|\bketch\b|\bsloop\b"),
    ("naval_or_government", r"warship|naval|navy|coast ?guard|patrol boat|research vessel"),
    (
        "general_cargo",
        r"general cargo|cargo ship|cargo vessel|reefer|refrigerated|ro-?ro|vehicle carrier|"
        r"car carrier|heavy (?:load|lift|transport)|merchant vessel|motor vessel|\bcargo\b",
    ),
)


NEGATION = (
    r"\b(?:no|not|nor|without|never|neither|nothing|none of)\b[^.;,]{0,40}?"
    r"(?:injur\w*|harm\w*|hurt|threat\w*|assault\w*|weapons?|armed|arms|stolen|stole|taken|"
    r"hostage|kidnap\w*|killed)"
)
"""Negated mentions ("crew not harmed", "no weapons seen"), removed before the harm, weapon
and loss rules run, so that "there were no injuries" does not read as an injury."""


def _arrow(text: pd.Series) -> pa.Array:
    return pa.array(text.astype(object), type=pa.large_string(), from_pandas=True)


def _contains(text: pd.Series, pattern: str) -> pd.Series:
    """Search ``pattern`` with Arrow's RE2 engine directly.

    pandas falls back to Python's ``re``, ten times slower, whenever the text holds
    non-ASCII characters or newlines.
    """
    hit = pc.fill_null(pc.match_substring_regex(_arrow(text), pattern), False)
    return pd.Series(hit.to_numpy(zero_copy_only=False), index=text.index)


def _replace(text: pd.Series, pattern: str, replacement: str) -> pd.Series:
    out = pc.replace_substring_regex(_arrow(text), pattern, replacement)
    # positional: a Series built from another Series would be re-indexed by label
    values = out.to_pandas(types_mapper=pd.ArrowDtype).array
    return pd.Series(values, index=text.index).astype("string")


def _first_match(text: pd.Series, rules: tuple[tuple[str, str], ...]) -> pd.Series:
    """Return, per row, the value of the first rule whose regex matches (NA if none)."""
    out = pd.Series(pd.NA, index=text.index, dtype="string")
    for value, pattern in reversed(rules):  # later rules are overwritten by earlier ones
        out = out.mask(_contains(text, pattern), value)
    return out


def _lower(series: pd.Series) -> pd.Series:
    return series.astype("string").str.lower().str.strip()


def classify_incidents(df: pd.DataFrame) -> pd.DataFrame:
    """Add the canonical crosswalk fields to a stacked incident table.

    Parameters
    ----------
    df : pandas.DataFrame
        Rows with the incident contract columns (``source``, ``source_label``,
        ``source_severity``, ``description``, ``vessel_type_raw``, ``vessel_status_raw``).

    Returns
    -------
    pandas.DataFrame
        A copy with ``category``, ``outcome``, ``outcome_basis``, ``weapon``,
        ``crew_treatment``, ``severity``, ``severity_basis``, ``vessel_status``,
        ``vessel_status_basis`` and ``vessel_type_std`` added. Basis columns are ``source``
        (the source's own label), ``derived`` (rules on text) or NA (nothing to go on).
    """
    out = df.copy()
    label = _lower(out["source_label"])
    desc = _lower(out["description"])
    text = (label.fillna("") + " | " + desc.fillna("")).astype("string")
    has_text = desc.notna() & (desc.str.len() > 0)

    # category
    gray = out["source"].isin(GRAY_ZONE_SOURCES)
    other = _contains(text, OTHER_HOSTILE_RULES)
    # robbery narratives mentioning "navy" responders are still robberies: the robbery
    # vocabulary wins unless a state or military actor is the perpetrator
    robbery = _contains(text, r"robber|pirate|thie|stole|hijack|kidnap|boarded") & ~_contains(
        text,
        r"military activity|missile|drone|shell(?:ed|ing)|\bmine\b|jamming|revolutionary guard",
    )
    category = np.where(
        gray,
        "gray_zone_coercion",
        np.where(other & ~robbery, "other_hostile", "piracy_armed_robbery"),
    )
    out["category"] = pd.Series(category, index=out.index, dtype="string")

    # outcome: a label that states it, else the narrative
    from_label = label.map(LABEL_OUTCOMES).astype("string")
    from_text = _first_match(text, TEXT_OUTCOME_RULES)
    outcome = from_label.fillna(from_text)
    outcome = outcome.mask(outcome.isna() & (has_text | label.notna()), "other")
    outcome = outcome.mask(gray, pd.NA)
    out["outcome"] = outcome.astype("string")
    out["outcome_basis"] = pd.Series(
        np.where(from_label.notna(), "source", np.where(outcome.notna(), "derived", None)),
        index=out.index,
        dtype="string",
    )

    # modus
    unknown = pd.Series("unknown", index=out.index, dtype="string")
    positive = _replace(desc, NEGATION, " ")
    weapon = _first_match(positive, WEAPON_RULES[:-1]).fillna(_first_match(desc, WEAPON_RULES[-1:]))
    out["weapon"] = weapon.fillna(unknown).mask(~has_text, "unknown")
    crew = _first_match(positive, CREW_RULES[:-1]).fillna(_first_match(desc, CREW_RULES[-1:]))
    out["crew_treatment"] = crew.fillna(unknown).mask(~has_text, "unknown")

    # severity: ReCAAP's own label where present, else the A2.2 rule table in order
    # Attempted -> CAT1 -> CAT2 -> CAT3 -> CAT4, only for piracy/robbery with a narrative
    source_sev = out["source_severity"].astype("string").str.strip()
    source_sev = source_sev.where(source_sev.isin(SEVERITIES))
    harmed = out["crew_treatment"].isin(["injured", "assaulted", "held_hostage_or_tied"])
    threatened = out["crew_treatment"].eq("threatened")
    armed = out["weapon"].isin(["gun", "knife_or_machete", "other"])
    derived = pd.Series(pd.NA, index=out.index, dtype="string")
    derived = derived.mask(has_text & ~armed & ~harmed & ~threatened, "CAT4")
    derived = derived.mask(has_text & (armed | threatened) & ~harmed, "CAT3")
    derived = derived.mask(has_text & (harmed | (threatened & armed)), "CAT2")
    derived = derived.mask(
        _contains(label.fillna("") + " | " + positive.fillna(""), CAT1_RULES)
        | out["crew_treatment"].isin(["killed", "kidnapped"]),
        "CAT1",
    )
    # a failed boarding is "Attempted" unless someone was killed or taken (fatal outranks)
    derived = derived.mask(
        out["outcome"].isin(["attempted", "fired_upon"]) & derived.ne("CAT1").fillna(True),
        "Attempted",
    )
    derived = derived.mask(out["outcome"].isin(["suspicious_approach"]), pd.NA)
    derived = derived.mask(out["category"] != "piracy_armed_robbery", pd.NA)
    out["severity"] = source_sev.fillna(derived).astype("string")
    out["severity_basis"] = pd.Series(
        np.where(source_sev.notna(), "source", np.where(derived.notna(), "derived", None)),
        index=out.index,
        dtype="string",
    )

    # vessel status: the source's own status word, else the narrative
    status_raw = _lower(out["vessel_status_raw"])
    status_label = status_raw.map(STATUS_LABELS).astype("string")
    status_text = _first_match(desc, STATUS_TEXT_RULES)
    out["vessel_status"] = status_label.fillna(status_text).fillna(unknown)
    out["vessel_status_basis"] = pd.Series(
        np.where(status_label.notna(), "source", np.where(status_text.notna(), "derived", None)),
        index=out.index,
        dtype="string",
    )

    # vessel type: the source's type field, else the narrative
    vtype_raw = _lower(out["vessel_type_raw"])
    from_type = _first_match(vtype_raw, VESSEL_TYPE_RULES)
    from_type = from_type.mask(from_type.isna() & vtype_raw.notna() & (vtype_raw != "na"), "other")
    from_type = from_type.mask(
        _contains(vtype_raw, r"^(?:unknown|merchant vessels?|vessel|ship|na|n/a)$"),
        pd.NA,
    )
    out["vessel_type_std"] = from_type.fillna(_first_match(desc, VESSEL_TYPE_RULES)).fillna(unknown)
    out.loc[gray, ["weapon", "crew_treatment", "vessel_status", "vessel_type_std"]] = pd.NA
    return out


RANKED_SEVERITIES = ("CAT1", "CAT2", "CAT3", "CAT4")
"""The ReCAAP categories of actual incidents, most to least significant ("within one" is
counted on this scale; ``Attempted`` is a different kind of event and must match exactly)."""

NO_RULE = "no rule"
"""Column of the confusion matrix for narratives no rule could rate."""


@dataclass(frozen=True)
class SeverityAgreement:
    """Rule-derived severity against ReCAAP's own labels on the incidents both describe.

    Attributes
    ----------
    n : int
        Labelled incidents with a narrative to classify.
    exact : float
        Share where the derived category is the label (NaN when ``n`` is 0).
    within_one : float
        Share within one step on CAT1–CAT4 (an exact ``Attempted`` counts; a derived value
        missing counts as a miss).
    confusion : pandas.DataFrame
        Counts: rows the ReCAAP label, columns the derived category (and :data:`NO_RULE`).
    classifier_version : str
    """

    n: int
    exact: float
    within_one: float
    confusion: pd.DataFrame
    classifier_version: str = CLASSIFIER_VERSION

    def values(self) -> dict:
        """Return the agreement as plain values (for ``summary.json``)."""
        return {
            "n": self.n,
            "exact": None if self.n == 0 else round(self.exact, 4),
            "within_one": None if self.n == 0 else round(self.within_one, 4),
            "confusion": {
                str(label): {str(k): int(v) for k, v in row.items()}
                for label, row in self.confusion.iterrows()
            },
            "classifier_version": self.classifier_version,
            "target_exact": TARGET_EXACT_AGREEMENT,
        }


TARGET_EXACT_AGREEMENT = 0.75
"""Exact agreement the crosswalk is required to reach on the labelled overlap."""


def labelled_narratives(reports: pd.DataFrame) -> pd.DataFrame:
    """Pair each ReCAAP-labelled incident with a narrative to classify without the label.

    ReCAAP's open portal gives a category but no narrative; other sources (ASAM, IMB) often
    describe the same incident. The narrative is the labelled row's own description when it
    has one, else the longest description of another report of the same ``incident_id``.

    Parameters
    ----------
    reports : pandas.DataFrame
        Classified reports (:func:`classify_incidents`), with ``incident_id`` when several
        sources' reports of one incident are to be paired.

    Returns
    -------
    pandas.DataFrame
        One row per labelled incident with a narrative: ``label`` (ReCAAP's category) and
        the classifier's fields for the narrative (``severity`` derived blind).
    """
    labelled = reports[reports["source_severity"].isin(SEVERITIES)]
    has_text = reports["description"].notna() & (reports["description"].str.len() > 0)
    own = labelled[has_text.loc[labelled.index]]
    own = classify_incidents(own.assign(source_severity=pd.NA)).assign(
        label=own["source_severity"].to_numpy()
    )
    pairs = [own]
    if "incident_id" in reports:
        rest = labelled[~labelled.index.isin(own.index)]
        texts = reports[has_text & reports["source_severity"].isna()]
        texts = texts[texts["incident_id"].isin(rest["incident_id"])]
        texts = texts.assign(_len=texts["description"].str.len())
        texts = texts.sort_values(["incident_id", "_len", "source"], ascending=[True, False, True])
        texts = texts.drop_duplicates("incident_id").drop(columns="_len")
        label = rest.drop_duplicates("incident_id").set_index("incident_id")["source_severity"]
        pairs.append(texts.assign(label=texts["incident_id"].map(label).to_numpy()))
    return pd.concat(pairs).reset_index(drop=True)


def severity_agreement(reports: pd.DataFrame) -> SeverityAgreement:
    """Score the rule-derived severity against ReCAAP's labels (:func:`labelled_narratives`).

    The rules were written from ReCAAP's published category definitions (brief-anchors
    A2.2), not fitted to these labels, so the whole overlap is a fair test of them.

    Parameters
    ----------
    reports : pandas.DataFrame
        Classified reports.

    Returns
    -------
    SeverityAgreement
    """
    pairs = labelled_narratives(reports)
    truth = pairs["label"].astype("string")
    guess = pairs["severity"].astype("string")
    rank = {s: i for i, s in enumerate(RANKED_SEVERITIES)}
    exact = (truth == guess).fillna(False).to_numpy(bool)
    t, g = truth.map(rank).astype(float), guess.map(rank).astype(float)
    near = exact | ((t - g).abs() <= 1).fillna(False).to_numpy(bool)
    confusion = pd.crosstab(
        pd.Categorical(truth, categories=SEVERITIES),
        pd.Categorical(guess.fillna(NO_RULE), categories=[*SEVERITIES, NO_RULE]),
        dropna=False,
    )
    confusion.index.name, confusion.columns.name = "ReCAAP label", "derived"
    n = len(pairs)
    return SeverityAgreement(
        n=n,
        exact=float(exact.mean()) if n else float("nan"),
        within_one=float(near.mean()) if n else float("nan"),
        confusion=confusion,
    )
