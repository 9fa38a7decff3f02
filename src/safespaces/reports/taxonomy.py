"""Category presets a deployment can load, and the GBVIMS classification order.

Each preset lists its categories in display order with their names in every language the site
speaks. Keys are unique across presets, so several presets can be loaded side by side.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("en", "ar", "fr", "es")


@dataclass(frozen=True)
class Term:
    key: str
    en: str
    ar: str
    fr: str
    es: str

    def names(self) -> dict[str, str]:
        return {language: getattr(self, language) for language in LANGUAGES}


@dataclass(frozen=True)
class Preset:
    key: str
    title: str | Promise
    terms: tuple[Term, ...]


STREET_HARASSMENT = Preset(
    "street_harassment",
    _("Street harassment, as HarassMap and Safecity record it"),
    (
        Term(
            "touching",
            "Touching or groping",
            "اللمس أو التحرش الجسدي",
            "Attouchements",
            "Tocamientos",
        ),
        Term(
            "catcalls",
            "Catcalls and whistles",
            "التصفير والمعاكسة",
            "Sifflements et interpellations",
            "Silbidos y piropos",
        ),
        Term(
            "ogling",
            "Ogling or staring",
            "النظرات المتفحصة",
            "Regards insistants",
            "Miradas lascivas",
        ),
        Term(
            "comments",
            "Sexual comments",
            "التعليقات الجنسية",
            "Commentaires à caractère sexuel",
            "Comentarios sexuales",
        ),
        Term(
            "stalking",
            "Stalking or following",
            "الملاحقة أو التتبع",
            "Filature ou traque",
            "Acecho o persecución",
        ),
        Term(
            "phone_calls",
            "Unwanted phone calls",
            "المكالمات الهاتفية غير المرغوب فيها",
            "Appels téléphoniques importuns",
            "Llamadas telefónicas no deseadas",
        ),
        Term(
            "indecent_exposure",
            "Indecent exposure",
            "التعري الفاضح",
            "Exhibitionnisme",
            "Exhibicionismo",
        ),
        Term(
            "sexual_invites",
            "Sexual invitations",
            "الدعوات الجنسية",
            "Propositions sexuelles",
            "Proposiciones sexuales",
        ),
        Term(
            "facial_expressions",
            "Suggestive facial expressions",
            "تعبيرات الوجه الإيحائية",
            "Mimiques obscènes",
            "Gestos faciales obscenos",
        ),
        Term(
            "sexual_assault",
            "Sexual assault",
            "الاعتداء الجنسي",
            "Agression sexuelle",
            "Agresión sexual",
        ),
        Term("rape", "Rape", "الاغتصاب", "Viol", "Violación"),
        Term(
            "unwanted_attention",
            "Unwanted attention",
            "الاهتمام غير المرغوب فيه",
            "Attention non désirée",
            "Atención no deseada",
        ),
        Term(
            "sexual_photos",
            "Photos taken without consent",
            "التصوير دون موافقة",
            "Photos prises sans consentement",
            "Fotos tomadas sin consentimiento",
        ),
        Term(
            "mob_attack", "Mob attack", "التحرش الجماعي", "Agression collective", "Ataque en grupo"
        ),
        Term(
            "online",
            "Online harassment",
            "التحرش عبر الإنترنت",
            "Harcèlement en ligne",
            "Acoso en línea",
        ),
        Term("threat", "Threats", "التهديد", "Menaces", "Amenazas"),
    ),
)

# GBVIMS classification: the first type answered "yes", in this order, is the incident's type.
GBVIMS = Preset(
    "gbvims",
    _("Gender-based violence incident types of the GBVIMS classification tool"),
    (
        Term("gbv_rape", "Rape", "الاغتصاب", "Viol", "Violación"),
        Term(
            "gbv_sexual_assault",
            "Sexual assault",
            "الاعتداء الجنسي",
            "Agression sexuelle",
            "Agresión sexual",
        ),
        Term(
            "gbv_physical_assault",
            "Physical assault",
            "الاعتداء الجسدي",
            "Agression physique",
            "Agresión física",
        ),
        Term(
            "gbv_forced_marriage",
            "Forced marriage",
            "الزواج القسري",
            "Mariage forcé",
            "Matrimonio forzado",
        ),
        Term(
            "gbv_denial_of_resources",
            "Denial of resources, opportunities or services",
            "الحرمان من الموارد أو الفرص أو الخدمات",
            "Déni de ressources, d'opportunités ou de services",
            "Denegación de recursos, oportunidades o servicios",
        ),
        Term(
            "gbv_psychological_abuse",
            "Psychological or emotional abuse",
            "الإساءة النفسية أو العاطفية",
            "Violence psychologique ou émotionnelle",
            "Abuso psicológico o emocional",
        ),
        Term(
            "gbv_non_gbv",
            "Not gender-based violence",
            "ليس عنفًا قائمًا على النوع الاجتماعي",
            "Hors violence basée sur le genre",
            "No es violencia de género",
        ),
    ),
)
GBVIMS_NON_GBV = "gbv_non_gbv"
GBVIMS_ORDER: tuple[str, ...] = tuple(
    term.key for term in GBVIMS.terms if term.key != GBVIMS_NON_GBV
)

TRAFFICKING = Preset(
    "trafficking",
    _("Trafficking and child labour"),
    (
        Term(
            "trafficking_sexual_exploitation",
            "Trafficking for sexual exploitation",
            "الاتجار بالبشر لأغراض الاستغلال الجنسي",
            "Traite à des fins d'exploitation sexuelle",
            "Trata con fines de explotación sexual",
        ),
        Term(
            "trafficking_forced_labour",
            "Trafficking for forced labour",
            "الاتجار بالبشر لأغراض العمل القسري",
            "Traite à des fins de travail forcé",
            "Trata con fines de trabajo forzoso",
        ),
        Term(
            "debt_bondage",
            "Debt bondage",
            "عبودية الدين",
            "Servitude pour dettes",
            "Servidumbre por deudas",
        ),
        Term(
            "confiscated_documents",
            "Identity documents confiscated",
            "مصادرة وثائق الهوية",
            "Confiscation des papiers d'identité",
            "Confiscación de documentos de identidad",
        ),
        Term(
            "child_labour", "Child labour", "عمل الأطفال", "Travail des enfants", "Trabajo infantil"
        ),
        Term(
            "child_domestic_work",
            "Child domestic work",
            "عمل الأطفال في المنازل",
            "Travail domestique des enfants",
            "Trabajo doméstico infantil",
        ),
        Term(
            "forced_begging",
            "Forced begging",
            "التسول القسري",
            "Mendicité forcée",
            "Mendicidad forzada",
        ),
        Term(
            "child_marriage",
            "Child marriage",
            "زواج الأطفال",
            "Mariage d'enfants",
            "Matrimonio infantil",
        ),
    ),
)

HUMAN_RIGHTS_DEFENDERS = Preset(
    "human_rights_defenders",
    _("Attacks on human-rights defenders"),
    (
        Term("hrd_killing", "Killing", "القتل", "Meurtre", "Asesinato"),
        Term(
            "hrd_enforced_disappearance",
            "Enforced disappearance",
            "الإخفاء القسري",
            "Disparition forcée",
            "Desaparición forzada",
        ),
        Term(
            "hrd_physical_attack",
            "Physical attack",
            "الاعتداء الجسدي",
            "Agression physique",
            "Agresión física",
        ),
        Term(
            "hrd_threat",
            "Threats or intimidation",
            "التهديد أو الترهيب",
            "Menaces ou intimidation",
            "Amenazas o intimidación",
        ),
        Term(
            "hrd_arbitrary_detention",
            "Arbitrary arrest or detention",
            "الاعتقال أو الاحتجاز التعسفي",
            "Arrestation ou détention arbitraire",
            "Detención o arresto arbitrario",
        ),
        Term(
            "hrd_judicial_harassment",
            "Judicial harassment",
            "المضايقة القضائية",
            "Harcèlement judiciaire",
            "Acoso judicial",
        ),
        Term("hrd_surveillance", "Surveillance", "المراقبة", "Surveillance", "Vigilancia"),
        Term(
            "hrd_raid",
            "Raid or break-in",
            "المداهمة أو الاقتحام",
            "Perquisition ou effraction",
            "Allanamiento o irrupción",
        ),
        Term(
            "hrd_smear_campaign",
            "Smear campaign",
            "حملة تشهير",
            "Campagne de dénigrement",
            "Campaña de desprestigio",
        ),
        Term(
            "hrd_online_attack",
            "Online attack",
            "الهجوم عبر الإنترنت",
            "Attaque en ligne",
            "Ataque en línea",
        ),
    ),
)

PRESETS: dict[str, Preset] = {
    preset.key: preset
    for preset in (STREET_HARASSMENT, GBVIMS, TRAFFICKING, HUMAN_RIGHTS_DEFENDERS)
}


class UnknownPreset(KeyError):
    """No preset has this key."""


def preset(key: str) -> Preset:
    try:
        return PRESETS[key]
    except KeyError:
        raise UnknownPreset(key) from None


def gbvims_type(answers: Mapping[str, bool]) -> str:
    """The GBVIMS type of an incident: the first type, in GBVIMS order, answered yes."""
    for key in GBVIMS_ORDER:
        if answers.get(key):
            return key
    return GBVIMS_NON_GBV
