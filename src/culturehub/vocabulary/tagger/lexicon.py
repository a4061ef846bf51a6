# ruff: noqa: E501  (a table of phrases reads best one cue group to a line)
"""The phrases a knowledgeable reader looks for, per vocabulary key, with how much each one says.

Each cue is a regular expression (matched case-insensitively on word boundaries) and a weight between
0 and 1: the chance, on its own, that the text means the label. Several cues combine as independent
evidence. A blocker is a phrase that contains a cue but means something else ("operating theatre",
"martial arts"): text matched by a blocker cannot count as a cue.

Art forms and themes follow the rules in the tagger's rubric (see the data README): themes only where
the text states or clearly implies the aim or the beneficiary group, never because arts are good for
everyone. Populations, settings and outcomes start from the taxonomy's synonyms (see `synonyms.py`)
and are refined here where a synonym alone misleads.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cue:
    pattern: str
    weight: float


def cues(weight: float, *patterns: str) -> list[Cue]:
    return [Cue(pattern, weight) for pattern in patterns]


ART_FORM_CUES: dict[str, list[Cue]] = {
    "music": [
        *cues(0.9, r"music(al)? (making|education|tuition|lessons?|workshops?|festivals?|societ(y|ies)|groups?)",
              r"orchestras?", r"orchestral", r"symphon(y|ies|ic)", r"brass bands?", r"concert bands?",
              r"silver bands?", r"jazz", r"musicians?", r"chamber music", r"opera(s|tic)?",
              r"composers?", r"instrument(al)? (tuition|lessons|teaching)", r"musical instruments?",
              r"sinfonia", r"philharmonic", r"pipe bands?", r"folk music", r"live music", r"gigs?",
              r"songwrit(ing|ers?)", r"music[- ]making", r"ensembles?", r"drumming", r"ukuleles?",
              r"recitals?", r"organ (music|recitals?)", r"bell ?ring(ing|ers)", r"handbells?",
              r"music therapy", r"steel ?pans?", r"samba", r"rock school", r"djs?|djing"),
        *cues(0.8, r"music", r"concerts?", r"bands?", r"piano", r"violins?", r"guitars?"),
    ],
    "singing": [
        *cues(0.95, r"choirs?", r"choral", r"chorus(es)?", r"singing", r"singers?", r"sing(s)? together",
              r"barbershop", r"glee clubs?", r"a cappella", r"vocal (group|ensemble|workshop)s?",
              r"singing for the brain", r"community choirs?"),
        *cues(0.6, r"sing", r"songs?"),
    ],
    "theatre": [
        *cues(0.95, r"theatres?", r"theatrical", r"drama(tic)?", r"plays? (for|about|by)", r"playhouse",
              r"pantomimes?", r"panto", r"musical theatre", r"amateur dramatics?", r"am[- ]?dram",
              r"performing arts?", r"acting (classes|workshops|skills)", r"actors?", r"actresses",
              r"puppet(ry|s)?", r"stage (productions?|shows?|plays?)", r"storytelling",
              r"operatic societ(y|ies)", r"thespians?", r"improv(isation)? (theatre|comedy)",
              r"productions of (plays|musicals)", r"musicals", r"comedy", r"spoken word", r"playwrit(ing|ers?)",
              r"dramatherapy|drama therapy"),
        *cues(0.6, r"performances?", r"shows", r"stage"),
    ],
    "dance": [
        *cues(0.95, r"danc(e|es|ing|ers?)", r"ballet", r"ballroom", r"choreograph(y|ers?|ic)",
                r"hip[- ]hop", r"zumba", r"morris (men|dancers|side)", r"ceilidhs?", r"tap dance",
                r"contemporary dance", r"movement (and|&) dance"),
    ],
    "visual_arts": [
        *cues(0.95, r"visual arts?", r"fine arts?", r"artworks?", r"paintings?", r"painters?",
              r"sculptur(e|es|al|ors?)", r"printmak(ing|ers?)", r"drawing (classes|workshops|skills)",
              r"art (gallery|galleries|exhibitions?|classes|workshops?|groups?|studios?|therapy|projects?|club|"
              r"school|centre|collections?|education|sessions?|activities)", r"public art", r"murals?",
              r"illustrat(ion|ors?)", r"contemporary art", r"art and design", r"life drawing", r"street art",
              r"painting (and|&) drawing", r"watercolou?rs?", r"visual artists?", r"artists'? studios?"),
        *cues(0.75, r"art", r"galler(y|ies)", r"installations?"),
        *cues(0.5, r"artists?", r"drawing", r"painting", r"exhibitions?", r"residenc(y|ies)", r"commissions?"),
        *cues(0.4, r"studios?"),
    ],
    "crafts": [
        *cues(0.9, r"crafts?", r"craft(ing|smanship|speople|smen|makers?)", r"potter(y|s)", r"ceramics?",
              r"weav(ing|ers)", r"knit(ting|ters)", r"crochet", r"embroider(y|ers)", r"quilt(ing|s|ers)?",
              r"textiles? art", r"woodwork(ing)?", r"wood ?carving", r"woodturn(ing|ers)", r"basketry",
              r"jewellery making", r"stained glass", r"needlework", r"sewing", r"felting", r"makers? spaces?",
              r"blacksmith(ing|s)?", r"glass ?blowing", r"bookbinding", r"calligraphy", r"lace ?making"),
        *cues(0.6, r"textiles?", r"making things"),
    ],
    "literature": [
        *cues(0.95, r"literature", r"literary", r"poetry", r"poems?", r"poets?", r"creative writing",
              r"writers?", r"writing (groups?|workshops?|projects?|festival)", r"reading groups?",
              r"book (clubs?|groups?|festivals?)", r"shared reading", r"authors?", r"novels?", r"fiction",
              r"publish(ing|ers?) (of )?(books|poetry|fiction|literature)", r"spoken word", r"story ?writing",
              r"reader development", r"love of reading", r"storytell(ing|ers?)", r"zines?", r"playwrit(ing|ers?)"),
        *cues(0.6, r"books?", r"reading", r"stories", r"writing", r"publications?", r"publishing",
              r"magazines?", r"journals?"),
    ],
    "film": [
        *cues(0.95, r"films?", r"film[- ]?mak(ing|ers?)", r"cinemas?", r"filmmak(ing|ers?)", r"movies?",
              r"documentar(y|ies)", r"moving image", r"screenings?", r"animation", r"animated films?",
              r"video production", r"short films?"),
        *cues(0.5, r"videos?"),
    ],
    "photography": [
        *cues(0.95, r"photograph(y|s|ic|ers?)", r"photos?", r"cameras?", r"darkroom", r"photovoice"),
    ],
    "digital": [
        *cues(0.9, r"digital (arts?|art ?works?|creativity|media arts?|storytelling|music|animation|artists?|"
              r"installations?|design)", r"creative (technolog(y|ies)|coding|digital)", r"new media",
              r"virtual reality", r"augmented reality", r"immersive (art|experiences?|installations?)", r"vr", r"video ?games?", r"games? (festival|design|makers?)",
              r"digital creatives?", r"(music|assistive) technolog(y|ies)", r"coding", r"creative tech",
              r"game design", r"interactive (art|media)", r"podcasts?", r"vlogs?", r"music production",
              r"3d (printing|modelling)"),
    ],
    "heritage": [
        *cues(0.95, r"heritage", r"histor(y|ies)", r"historic(al)?", r"archaeolog(y|ical|ists?)",
              r"archives?", r"archival", r"oral histor(y|ies)", r"local history", r"listed buildings?",
              r"ancient monuments?", r"antiquit(y|ies)", r"antiquarian", r"genealog(y|ical)", r"family history",
              r"preserv(e|ation|ing) (of )?(the )?(railway|locomotives?|steam|windmills?|mills?|canal|"
              r"boats?|ships?|vessels?|aircraft|vehicles?|buildings?|church|chapel|castle|hall|manor|heritage)",
              r"heritage railways?", r"steam (railway|locomotives?|engines?)", r"restor(e|ation|ing) (of )?(the )?"
              r"(historic|listed|ancient|old|church|chapel|building|mill|windmill|castle|organ|locomotive)",
              r"conservation areas?", r"folklore", r"reminiscence", r"memorials?",
              r"commemorat(e|ion|ing)", r"war memorials?", r"civic societ(y|ies)", r"battlefields?",
              r"tall ships?", r"maritime", r"industrial heritage", r"friends of .{0,30}(hall|house|castle|abbey)"),
        *cues(0.6, r"past", r"preservation", r"conservation", r"restoration", r"ancient", r"old buildings?"),
        *cues(0.5, r"traditions?", r"traditional"),
    ],
    "museums": [
        *cues(0.97, r"museums?", r"collections? of (art|objects|artefacts|historic|paintings)",
              r"artefacts?", r"curat(e|ed|ing|ors?|orial)", r"object handling", r"exhibits?",
              r"heritage (centre|collection)s?"),
        *cues(0.6, r"collections?", r"galler(y|ies)", r"exhibitions?", r"display"),
    ],
    "libraries": [
        *cues(0.9, r"librar(y|ies)"),
    ],
    "festivals": [
        *cues(0.95, r"festivals?", r"carnivals?", r"mela", r"fiesta", r"eisteddfod(au)?", r"fringe"),
    ],
    "circus": [
        *cues(0.95, r"circus(es)?", r"acrobat(s|ics)", r"jugglers?|juggling", r"aerial (arts|skills)",
              r"trapeze", r"clown(s|ing)?", r"street arts?", r"stilt walk(ing|ers)"),
    ],
    "combined_arts": [
        *cues(0.9, r"arts? centres?", r"multi[- ]?arts?", r"combined arts", r"arts (venue|festival)s?",
              r"cross[- ]arts?", r"interdisciplinary arts", r"arts? (and|&) culture", r"arts? (organisation|programme)s?",
              r"creative arts", r"arts activities", r"participatory arts", r"community arts?", r"the arts"),
        *cues(0.6, r"arts", r"creative"),
    ],
}

# Phrases that contain an art-form cue but are not about the arts.
ART_FORM_BLOCKERS: list[str] = [
    r"operating theatres?", r"theatre (nurses?|staff|suites?|lists?|practitioners?)", r"surgical theatres?",
    r"arts?,? heritage,? (culture|and culture|or culture)( or science)?", r"environment/conservation/heritage",
    r"arts?/culture/heritage(/science)?", r"lecture theatres?", r"(the )?arts? of \w+", r"arts? (and|&) (culture|heritage)", r"performing arts?", r"theatres? of war", r"martial arts?", r"state[- ]of[- ]the[- ]art", r"art of (living|medicine)",
    r"arts? (degree|and sciences?|subjects?) ", r"liberal arts", r"bachelor of arts", r"master of arts",
    r"opera (house|houses)", r"soap operas?", r"craft of", r"plastic films?", r"film coatings?", r"aircraft", r"spacecraft", r"hovercraft", r"watercraft", r"handicraft",
    r"medical history", r"history of (violence|abuse|offending|homelessness|substance|mental)", r"case histor(y|ies)",
    r"natural history of (the )?disease", r"drawing (on|up|upon|down) ", r"draw(ing)? attention",
    r"painting (and|&) decorating", r"exhibit(s|ed|ing)? (symptoms|behaviou?r)", r"bands? of", r"band [1-9a-d]\b",
    r"age bands?", r"income bands?", r"pay bands?", r"council tax bands?", r"broadband", r"wristbands?",
    r"stage [1-9]", r"early stages?", r"later stages?", r"last stages?", r"stages? of (life|the|their|a)",
    r"final stages?", r"key stages?", r"collections? (of (money|funds|donations|clothing|food))",
    r"collection (tins?|boxes|points?|service)", r"collecting (money|funds|donations)", r"refuse collection",
    r"waste collection", r"data collection", r"(toy|toys|legal|law|medical|tool|seed|food|toy) librar(y|ies)",
    r"librar(y|ies) of (resources|information)", r"resource librar(y|ies)", r"the past (year|decade|few|\d)",
    r"past (year|years|month|decade|experience)", r"in the past", r"records? (management|keeping)",
    r"(church|parish) records", r"archive (our|its) (records|documents)", r"stories of (hope|recovery)",
    r"success stories", r"history of (the )?(charity|organisation|trust)", r"christian literature",
    r"religious literature", r"gospel literature", r"bible literature", r"evangelistic literature",
    r"(training|information|educational|health|medical|campaign|scientific|research) (materials and )?publications?",
    r"research publications?", r"medical journals?", r"scientific journals?", r"peer[- ]reviewed journals?",
    r"publish(ing)? (the )?(results|research|reports?|findings)", r"(health|medical|scientific) literature",
    r"reading (age|skills|and writing|, writing|and maths|recovery)", r"(literacy|numeracy)", r"writing (off|to)",
    r"signs? of (the )?(past)", r"(health|school|care|crisis|home|prison|hospital|hospice|refugee|family) radio",
    r"tv licen[cs]es?", r"video (calls?|conferenc\w*|link)", r"photos? (id|identification)",
    r"conservation of (nature|wildlife|the environment|habitats?|energy|species|the natural|birds|woodland)",
    r"(nature|wildlife|marine|environmental|habitat|countryside|land|energy) conservation",
    r"restoration of (habitats?|peatland|wetlands?|rivers?|nature|woodland|health|sight|hearing)",
    r"traditions? of (care|service|excellence)", r"memorial (fund|trust|scholarship|prize|award)s?",
    r"in memory", r"creative (solutions?|thinking|ways|approach|industries funding)", r"fringe benefits?",
    r"musical chairs", r"the show must", r"shows? (that|how|the need|us|them|evidence)", r"display (of )?(symptoms)",
    r"performances? (of the|measures?|indicators?|management|targets?|related)", r"(academic|school|exam|financial|"
    r"strong|good|high|poor|improved|business|sporting|athletic|organisational) performance",
    r"performance (of|in|and) (the|their|pupils|students|schools|sport)",
]

THEME_CUES: dict[str, list[Cue]] = {
    "prevention_wellbeing": [
        *cues(0.85, r"well[- ]?being", r"healthy (lifestyles?|living|ageing|aging|eating|minds? and bodies)",
              r"physical (health|activity|fitness|exercise|wellbeing)", r"keep(ing)? (fit|active|well|healthy)",
              r"stay(ing)? (active|well|healthy)", r"falls? prevention", r"prevent(ing|ion of)? falls",
              r"strength and balance", r"lung health", r"breath(ing|lessness)", r"copd", r"respiratory",
              r"parkinson'?s", r"long[- ]term (health )?conditions?", r"chronic (illness|conditions?|pain)",
              r"health and well[- ]?being", r"improv(e|es|ing|ed) (their |the |people'?s )?(physical )?health",
              r"good health", r"health benefits", r"public health", r"stroke survivors?", r"arts? (and|&) health",
              r"heart (health|disease|conditions?)", r"diabetes", r"obesity", r"frailty", r"healthier",
              r"prevent(ion|ing)? (of )?(ill[- ]?health|illness|decline|disease)", r"exercise", r"sexual health",
              r"health(ier)? (lives|outcomes)", r"active (lives|lifestyles?|ageing)", r"multiple sclerosis",
              r"arthritis", r"pain management", r"(physical|cardiac|pulmonary|stroke) rehabilitation",
              r"recovery from (illness|surgery|stroke)"),
        *cues(0.5, r"health", r"healthy", r"fitness", r"movement", r"active", r"cancer", r"mobility"),
    ],
    "mental_health": [
        *cues(0.95, r"mental (health|ill[- ]?health|illness|distress)", r"anxiety", r"anxious",
              r"depression", r"depressed", r"low mood", r"psychiatric", r"psycholog(ical|y) (wellbeing|distress|"
              r"support|health)", r"emotional (health|difficulties)", r"mentally (ill|unwell)",
              r"perinatal", r"post[- ]?natal depression", r"self[- ]harm", r"suicid(e|al)", r"ptsd",
              r"eating disorders?", r"bipolar", r"schizophrenia", r"psychosis", r"recovery (college|journey|from mental)",
              r"mental health services?", r"wellbeing (support|service)"),
        *cues(0.6, r"mental well[- ]?being", r"emotional (well[- ]?being|support|resilience)", r"trauma(tic|tised)?",
              r"stress(ed)?", r"art therapy|arts therapies|music therapy|drama ?therapy|dance movement therapy",
              r"therapeutic", r"counselling", r"mindful(ness)?"),
        *cues(0.4, r"resilience"),
    ],
    "non_medical": [
        *cues(0.97, r"social prescri(bing|ption|bed|bers?)", r"arts? on prescription", r"on prescription",
              r"link workers?", r"(gp|gps|doctors?|health professionals?|clinicians?|nhs|health visitors?|"
              r"community mental health teams?|care coordinators?|social workers?) (can )?(refer|referral)s?",
              r"referr(als?|ed) (from|by) (gp|gps|a gp|doctors?|health|the nhs|nhs|clinicians?|social prescribers?|"
              r"link workers?|mental health)", r"(gp|health|clinical|nhs) referrals?", r"prescribed",
              r"(alternative|complement)(ary)? to (medication|medical treatment|medicine|drugs|clinical)",
              r"non[- ]?(medical|clinical|pharmacological)", r"green prescri\w+", r"referral routes?",
              r"health and care professionals", r"primary care networks?", r"community prescribing",
              r"self[- ]referral and (professional|gp|health) referral"),
    ],
    "communities": [
        *cues(0.9, r"communit(y|ies) cohesion", r"cohesi(on|ve)", r"bring(s|ing)? (together )?(the )?(local )?"
              r"(communit(y|ies)|people|residents|neighbours|generations|families|cultures)( of [a-z ]+)? together",
              r"brought (the )?(communit(y|ies)|people) together", r"together as a community",
              r"civic (pride|participation|life|engagement)", r"community (spirit|pride|engagement|"
              r"participation|development|led|lead|cohesion|empowerment|ownership|harmony|voice)",
              r"sense of (belonging|community|place)", r"(racial|religious|community) harmony", r"good relations",
              r"integrat(e|ion|ing) (of )?(refugees|newcomers|migrants|asylum|new arrivals|communities)",
              r"(diverse|different|local) communities (come|coming|to come) together", r"build(ing)? communit(y|ies)",
              r"community[- ]led", r"place[- ]?making", r"social inclusion", r"(with|by|for) (the |our |local )?communit(y|ies)",
              r"cross[- ]cultural", r"multicultural", r"inclusive communit(y|ies)", r"belonging",
              r"social cohesion", r"stronger communities", r"community celebrations?", r"our community",
              r"community (arts?|play|plays|theatre|opera|orchestra|choir|festival|poetry|radio|projects?|soap opera|"
              r"celebration|events?|dance|music|film|cinema|heritage|archaeology|history|garden|mural|carnival)",
              r"creative communities", r"communities communicating", r"across the (community|town|city|borough|neighbourhood)"),
        *cues(0.7, r"intergenerational|inter-generational"),
        *cues(0.45, r"communit(y|ies)", r"refugees?", r"asylum seekers?", r"migrants?", r"newcomers?", r"new arrivals",
              r"neighbourhoods?", r"civic", r"local people"),
    ],
    "isolation": [
        *cues(0.97, r"lonel(y|iness)", r"(social(ly)?|rural) isolat(ion|ed)", r"isolat(ed|ion)", r"befriend(ing|ers?)",
              r"mak(e|ing) (new )?friends", r"social (contact|connections?|interaction|networks?)",
              r"meet (new )?(people|others|friends)", r"connect(ing|ed)? (them |people )?(with |to )?(other|others|people|"
              r"their communit(y|ies))", r"companionship", r"housebound", r"get[- ]togethers?",
              r"reduc(e|ing) (social )?isolation", r"tackl(e|ing) (social )?isolation", r"less alone",
              r"social (life|lives)", r"sociali[sz](e|ing|ation)", r"meet and talk", r"support networks?"),
        *cues(0.6, r"friendships?", r"lunch(eon)? clubs?", r"peer support", r"social (activities|events)"),
    ],
    "children_young_people": [
        *cues(0.95, r"child(ren|hood)?", r"children'?s", r"young (people|persons?|person'?s|adults?|carers?|musicians|"
              r"writers|artists|dancers|performers|audiences|leaders|women|men|creatives|actors|poets|voices|company)",
              r"youth", r"teenagers?", r"teenage", r"teens?", r"adolescents?", r"pupils?", r"school ?children", r"kids",
              r"babies", r"infants?", r"toddlers?", r"early years", r"under[- ]?(5|fives|18s?|25s?)",
              r"aged (\d|1\d|2[0-5])\b", r"ages? \d{1,2} ?(to|-|–) ?\d{1,2}", r"cyp",
              r"(\d|1\d)[- ]to[- ](1\d|2[0-5])[- ]year[- ]olds?", r"\d{1,2}[- ](1\d|2[0-5]) year olds?",
              r"care[- ]experienced", r"looked[- ]after children", r"care leavers?", r"juniors?", r"girls", r"boys",
              r"nurser(y|ies)", r"families with (young )?children", r"junior (choir|orchestra|section)",
              r"youth (theatre|orchestra|choir|clubs?|groups?|centres?|work)", r"(primary|secondary|special) schools?",
              r"next generation", r"excluded (pupils|young)", r"neets?", r"not in education", r"family learning"),
        *cues(0.6, r"schools?"),
        *cues(0.4, r"families", r"family", r"education(al)?", r"learning", r"students?"),
    ],
    "dementia": [
        *cues(0.98, r"dementia", r"alzheimer'?s?", r"memory (loss|problems|impairment|caf(e|é)s?|clinics?)",
              r"singing for the brain", r"cognitive (decline|impairment)", r"living with memory"),
        *cues(0.7, r"reminiscence"),
    ],
}

THEME_BLOCKERS: list[str] = [
    r"mind(s|ful|fulness|set)? (of|and body|to|the)", r"mind'?s eye", r"(open|young|curious) minds?", r"bear in mind",
    r"keep in mind", r"in mind", r"(state|peace) of mind", r"minded", r"reminding", r"mastermind",
    r"(youth|child|children'?s?) (hostel|prison)s?", r"economic recovery", r"(student|children'?s) (loans?|fees)",
    r"students? of (art|music|history|the)", r"real estates?", r"estates? (management|of|in|and)", r"the estate",
    r"(family|families) (of|and friends of) (the|victims|patients)", r"(history|study) of (the )?family",
    r"(cancer|medical|clinical|scientific|health) research", r"research into", r"health (and|&) safety",
    r"financial health", r"health (insurance|check)s?", r"hospital", r"clinical trials?", r"(young|child) (offenders?)",
    r"school (buildings?|fees|governors?|premises|trips?)", r"students? (accommodation|unions?|loans?|fees)",
    r"(independent|private|public|fee[- ]paying|boarding|grammar) school", r"school of (art|music|dance|drama)",
    r"for the public benefit", r"general public", r"members of the public", r"inhabitants", r"for the benefit of",
    r"stress(es|ed)? (the|that|on|upon)", r"emphasis", r"active (members?|membership|role|part|partner)",
    r"(proactive|actively)", r"communit(y|ies) (of|at) (faith|practice|monks|nuns|sisters|brothers)",
    r"religious communit(y|ies)", r"christian communit(y|ies)", r"church communit(y|ies)",
    r"business communit(y|ies)", r"(academic|scientific|research|medical) communit(y|ies)",
    r"therapeutic (use|purposes|properties|effect)", r"counselling (course|qualification)s?",
    r"prevent(ion of)? (cruelty|suffering of animals)", r"cancer research", r"exercise (of|its|their|any|such) (power|right|discretion|function)s?",
    r"exercis(e|ing) (the|its|their|such|any) ", r"health service", r"(trustees?|board) (mind|meet)",
    r"friendly societ(y|ies)", r"isolated (rural )?(area|areas|community|communities|location|village|island)s?",
    r"isolation (ward|unit|facilit(y|ies)|rooms?|blocks?|of (cells|islets|the virus))", r"islet isolation",
]
