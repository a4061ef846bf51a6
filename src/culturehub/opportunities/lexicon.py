# ruff: noqa: E501  (a table of phrases reads best one cue group to a line)
"""The phrases and CPV codes a reader of procurement notices weighs, following the relevance rubric.

Each cue is a regular expression matched case-insensitively on word boundaries, with a weight between 0
and 1: how sure the phrase alone makes a reader that the notice belongs to the class. Three classes:

- CULTURAL: the subject of the contract is arts, culture or heritage work (the rubric's `direct`);
- SERVICE: a person-centred public service in a priority area (the rubric's `adjacent`);
- COMMODITY: what the rubric calls `none` even at a museum or theatre: works, repairs, equipment,
  cleaning, catering, security, IT, professional services, clinical care, care placements, transport.

A commodity phrase in a notice's title decides it; in its description it weighs against the others,
since a festival tender may well mention the stewarding it needs.
"""

from __future__ import annotations

from culturehub.vocabulary.tagger.lexicon import Cue, cues

CULTURAL_CUES: list[Cue] = [
    *cues(0.95, r"arts? (programmes?|projects?|activit(y|ies)|sessions?|workshops?|development|service|commissions?|provision|offer|strategy|in health|(and|&) health|referral( pathway)?|on prescription|festival|organisations?|(and|&) (music|culture|cultural))",
          r"creative (arts?|programmes?|programming|commissions?|learning|activit(y|ies)|practitioners?|educators?|people and places|writing|workshops?|producers?|local growth|industries|and cultural)",
          r"cultural (programmes?|programming|strategy|events?|festivals?|development|partnership|sector|activit(y|ies)|offer|venues?|organisations?|management|education|consultan\w+|agenc(y|ies)|olympiad|compact|recovery|services|heritage|institutions?|participation|engagement)",
          r"culture (night|board|partnership|strategy|programme|sector|and heritage|(and|&) (the )?arts?)", r"(the )?arts (and|&) (culture|cultural|heritage|creative)",
          r"what works for culture", r"public art(works?)?", r"murals?", r"sculptur(e|es|al)", r"artworks?", r"art installations?",
          r"(artists?|artistic) (commissions?|residenc(y|ies)|brief|services|programme|director)", r"community arts?", r"participatory arts?",
          r"(music|drama|dance|theatre|singing|art) (education|workshops?|tuition|lessons|programmes?|making|sessions|therapy|therapies)", r"arts therap(y|ies)",
          r"youth music", r"music hubs?", r"orchestras?", r"choirs?", r"theatre (productions?|company|companies|shows?)",
          r"(festivals?|carnival|mela)( (delivery|programme|organisation|partner|producer|management|director))?",
          r"culture night", r"(exhibition|interpretation|gallery|museum) (design|designers?|plan|planning|development|programme|content|interpretation|learning|education)",
          r"(museum|gallery|heritage|archive|library|collections?) (learning|education|engagement|outreach|services?|schools? programme|activity programme)",
          r"(heritage|historic|archaeolog\w+) (interpretation|engagement|research|project|programme|trails?)", r"oral histor(y|ies)",
          r"library services", r"(run|manage|operate|deliver)(s|ing)? (the |its |our )?(public )?librar(y|ies)", r"archives? service",
          r"(cultural|arts?|heritage|festival|creative) (research|evaluation|study|scoping|feasibility|consultancy)",
          r"evaluation of the (cultural|arts?|creative|heritage)\b", r"(film|video|music|theatre|radio) production", r"filmmak\w+|film[- ]makers?",
          r"creative (commissions?|practitioners?)", r"storytell(ing|ers?)", r"poetry", r"writers? in residence", r"artists? in residence"),
    *cues(0.8, r"artists?", r"museums?", r"galler(y|ies)", r"heritage", r"festivals?", r"exhibitions?", r"archaeolog(y|ical)", r"archives?",
          r"cultural", r"culture", r"creative", r"theatres?", r"music(al)?", r"dance", r"drama", r"cinema", r"film", r"photograph(y|ers?)", r"arts",
          r"historic (environment|england|scotland)", r"visitor attractions?", r"interpretation"),
    *cues(0.5, r"librar(y|ies)", r"events?", r"art", r"collections?", r"performances?"),
]

# Phrases that hold a cultural word but not cultural work.
CULTURAL_BLOCKERS: list[str] = [
    r"operating theatres?", r"theatre (nurses?|staff|suites?|lists?)", r"lecture theatres?", r"state[- ]of[- ]the[- ]art", r"martial arts?",
    r"(library|archive|collection) management systems?", r"(medical|legal|toy|tool) librar(y|ies)", r"waste collection", r"refuse collection",
    r"data collection", r"collection (service|points?|rounds?)", r"creative (design|agency|solutions?|thinking|approach)", r"culture of (hope|safety|care|learning|improvement)",
    r"organisational culture", r"plastic film", r"window film", r"festive", r"events? (security|stewarding|management plan)", r"adverse events?",
    r"(social|cultural) (care|needs)", r"culturally (appropriate|sensitive|competent)", r"cultural (change|competence|awareness)",
    r"historic (data|debts?|arrears)", r"(case|medical) histor(y|ies)", r"music (licen[cs]es?|systems?)", r"sports? (and|&) (leisure|recreation)",
]

SERVICE_CUES: list[Cue] = [
    *cues(0.95, r"social prescri(bing|ption)", r"link workers?", r"lonel(y|iness)", r"(social )?isolation", r"befriend(ing|ers?)",
          r"day (opportunities|activities|support|services?|centres?)", r"dementia (support|services?|community|day|advisers?|friendly|cafes?|connect)", r"post[- ]diagnostic",
          r"(young|unpaid|adult|family) carers?", r"carers'? (support|services?|breaks?)", r"youth (services?|work|workers?|provisions?|offer|clubs?|centres?|projects?|programmes?|support)",
          r"detached youth", r"positive activities", r"holiday activit(y|ies)", r"holiday,? activities and food", r"\bhaf\b", r"early (help|intervention|support)",
          r"family (support|link|help|hubs?|centres?|intervention)", r"families first", r"children'?s centres?",
          r"community (development|cohesion|engagement|connectors?|wellbeing|navigators?|capacity|led|based (service|support|prevention|activities))",
          r"(emotional|mental) (health )?(and |& )?(wellbeing|well-being) (services?|support)", r"(emotional|mental) health (services?|support|prevention|crisis|outreach)",
          r"wellbeing services?", r"wellness (services?|support)", r"healthy (lifestyles?|living|weight)", r"weight management", r"stop smoking", r"physical activity (programmes?|services?)",
          r"recovery (communit(y|ies)|services?|support|programmes?)",
          r"domestic abuse (support|services?)", r"homelessness (support|services?|prevention)", r"therapeutic (support|services?|interventions?)",
          r"peer support", r"neighbourhood grants?", r"(older people|older persons?|older adults?)'?s? (services?|activities|support)",
          r"learning disabilit(y|ies) (day|activities|services?)", r"(preventative|preventive|prevention) (services?|mental health)", r"outreach (services?|support)",
          r"volunteering (services?|programmes?)", r"(intergenerational|inter-generational)"),
    *cues(0.6, r"wellbeing", r"well-being", r"mental health", r"dementia", r"young people", r"youth", r"children and young people", r"\bcyp\b", r"families", r"older people",
          r"carers?", r"prevention", r"outreach", r"vcse", r"voluntary (and|&) community"),
    *cues(0.35, r"communit(y|ies)", r"children", r"support services?", r"activities"),
]

COMMODITY_CUES: list[Cue] = [
    *cues(0.97, r"roof(s|ing)?", r"refurbish\w*", r"refit", r"fit[- ]?out works?", r"building (works?|repairs?|conversion)", r"repairs?", r"resurfacing", r"construction",
          r"(structural|planned|reactive|grounds?|building|highways?) maintenance", r"maintenance (and|&) support", r"principal contractor", r"contractors? framework",
          r"conditions? (inspection|survey)s?", r"inspection reports?", r"asbestos", r"demolition", r"extension works?", r"accessible wc", r"toilets?",
          r"cleaning", r"catering", r"caf(e|é)s? operators?", r"caf(e|é)s?", r"school meals", r"vending", r"food (supply|provision)",
          r"security (services?|provisions?|guarding)", r"stewarding", r"guarding", r"keyholding", r"cctv",
          r"management systems?", r"software", r"self[- ]service", r"kiosks?", r"it (systems?|services|support|hardware)", r"ict", r"licen[cs]es?", r"digital lending", r"e-?stock",
          r"telephony", r"call[- ]handling", r"call cent(re|er)", r"websites?", r"hosting", r"data (platform|services)", r"cyber",
          r"display cases", r"furniture", r"equipment", r"marquees?", r"lighting", r"lights", r"vehicles?", r"fleet", r"fuel", r"energy", r"electricity", r"gas supply",
          r"legal (services|advice|advisers?)", r"barristers?", r"solicitors?", r"audit", r"accountancy", r"insurance", r"banking", r"payroll", r"recruitment", r"temporary staff",
          r"marketing", r"campaign", r"printing", r"translation",
          r"domiciliary", r"home care", r"care (and support )?at home", r"care homes?", r"residential (care|placements?|homes?)", r"nursing (homes?|care|services?)", r"supported (living|accommodation|housing)", r"extra care",
          r"talking therapies", r"psychological therapies", r"\biapt\b", r"public health nursing", r"school nursing", r"health visiting", r"healthy child programme", r"sexual health",
          r"surgery|surgical", r"diagnostic (services?|imaging|tests?|equipment)", r"diagnostics", r"patholog(y|ical)", r"radiolog(y|ical)", r"pharmac(y|ies|eutical)", r"clinical (services?|waste)", r"dental", r"ophthalm\w+", r"audiology", r"inpatient",
          r"transport", r"bus services?", r"taxis?", r"waste", r"recycling", r"grounds?", r"tree (works|surgery)", r"pest control", r"drainage", r"flood",
          r"leisure (facilities|operat\w+|services|centres?|management|contract)", r"sports? (pitch|facilities|centres?)", r"playground", r"play equipment",
          r"consultancy framework", r"engineering", r"architect(s|ural)?", r"surveying", r"cost consultancy", r"project management", r"valuation",
          r"framework for (the )?(supply|provision) of", r"supply (and|&) (install\w*|deliver\w*)", r"supply of"),
    *cues(0.6, r"install(ation|ing)?", r"supply", r"maintenance", r"works", r"contractors?", r"facilities management", r"hire", r"storage", r"goods"),
]

# Clinical services and care placements: the rubric's `none` beside the person-centred services it
# calls `adjacent`. Several of them in a description mean the service is clinical care, whatever its title.
CLINICAL_CUES: list[Cue] = [
    *cues(0.95, r"domiciliary", r"home care", r"care (and support )?at home", r"care homes?", r"residential (care|placements?)",
          r"nursing (homes?|care|services?)", r"public health nursing", r"school nursing", r"health visit(ing|ors?)", r"healthy child programme",
          r"sexual health", r"talking therapies", r"psychological therapies", r"\biapt\b", r"inpatient", r"psychiatric (beds?|wards?|hospital|intensive)",
          r"surgery|surgical", r"diagnostic (services?|imaging|tests?)", r"pharmac(y|ies)", r"contraception", r"immunisations?", r"vaccinations?",
          r"prescribing (of )?medic\w+", r"medication", r"supported living", r"extra care"),
]
CLINICAL_VETO_PHRASES = 2

# CPV divisions and groups (code prefixes) that say what is bought.
CULTURAL_CPV: dict[str, float] = {
    "921": 0.85, "922": 0.6, "923": 0.95, "925": 0.85, "92000000": 0.8, "79952": 0.7, "79953": 0.9, "79956": 0.6, "79822500": 0.3,
}
SERVICE_CPV: dict[str, float] = {
    "85312": 0.6, "85320": 0.5, "85322": 0.6, "85323": 0.6, "98334": 0.6, "55243": 0.8, "853": 0.4, "80310": 0.5, "92610": 0.0,
}
COMMODITY_CPV: dict[str, float] = {
    "03": 0.9, "09": 0.9, "14": 0.9, "15": 0.8, "18": 0.8, "19": 0.9, "22": 0.6, "24": 0.9, "30": 0.9, "31": 0.9, "32": 0.9, "33": 0.9,
    "34": 0.9, "35": 0.9, "37": 0.5, "38": 0.9, "39": 0.8, "41": 0.9, "42": 0.9, "43": 0.9, "44": 0.9, "45": 0.97, "48": 0.9, "50": 0.9,
    "51": 0.9, "55": 0.8, "60": 0.9, "63": 0.8, "64": 0.9, "65": 0.9, "66": 0.9, "70": 0.9, "71": 0.9, "72": 0.9, "76": 0.9, "77": 0.9,
    "79110": 0.9, "7921": 0.9, "7922": 0.9, "79341": 0.8, "795": 0.8, "796": 0.9, "797": 0.9, "798": 0.7, "90": 0.9, "8511": 0.9,
    "8512": 0.9, "8513": 0.9, "8514": 0.5, "85311": 0.8, "926": 0.7,
}

# Buyers whose own work is arts, culture or heritage: their research and design contracts are cultural.
CULTURAL_BUYER = (r"arts council", r"creative scotland", r"historic (england|environment scotland)", r"english heritage", r"heritage (fund|memorial fund)",
                  r"museums?", r"galler(y|ies)", r"national trust", r"cadw", r"library", r"british library", r"\barts\b", r"theatre", r"orchestra",
                  r"culture|cultural", r"creative", r"heritage")
