"""Write the evaluation set for buurtcore.text (run: python make_eval.py).

All sentences were written for this project. Generated stories combine, per theme, an
optional everyday opener, two situation sentences, a detail and an ending (seeded, so
the output is stable). Hand-written paraphrase pairs (few shared words) and
English-Dutch pairs follow, and a few stories that fit no theme.

Output: ``eval_stories.jsonl`` (``{"id", "text", "themes", "pair"?, "lang"?}``) and
``eval_themes.json`` (``[{"id", "label", "description"}]``).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).parent

THEMES = [
    (
        "eenzaamheid",
        "Eenzaamheid",
        "Alleen zijn, niemand om mee te praten, weinig contact, missen van gezelschap, "
        "stille dagen, behoefte aan aanspraak.",
    ),
    (
        "geldzorgen",
        "Geldzorgen en armoede",
        "Schulden, rekeningen niet kunnen betalen, voedselbank, weinig geld, "
        "armoede, toeslagen, rondkomen, boodschappen te duur.",
    ),
    (
        "veiligheid",
        "Veiligheid",
        "Onveilig voelen, inbraak, diefstal, criminaliteit, drugs, donkere plekken, "
        "politie, bang 's avonds op straat.",
    ),
    (
        "groen",
        "Groen en natuur",
        "Bomen, park, grasveld, bloemen, planten, moestuin, natuur, vergroenen, tegels eruit.",
    ),
    (
        "jongeren",
        "Jongeren",
        "Tieners en jongeren, hangplek, niets te doen, jongerenwerk, school, stage, "
        "sport voor jongeren.",
    ),
    (
        "ouderen",
        "Ouderen",
        "Oudere bewoners, senioren, pensioen, rollator, zorg thuis, mantelzorg, "
        "zelfstandig blijven wonen.",
    ),
    (
        "taal",
        "Taal en nieuwkomers",
        "Nederlands leren, taalles, inburgering, statushouders, nieuwkomers, "
        "brieven niet begrijpen, taalmaatje.",
    ),
    (
        "overlast",
        "Wonen en overlast",
        "Geluidsoverlast, buren, woning, schimmel, verhuurder, huur, lawaai, "
        "wachtlijst voor een huis.",
    ),
    (
        "gezondheid",
        "Gezondheid",
        "Ziek zijn, huisarts, pijn, bewegen, gezond eten, psychische klachten, "
        "stress, slapen, ziekenhuis.",
    ),
    (
        "vrijwilligers",
        "Vrijwilligers",
        "Vrijwilligerswerk, meehelpen, inzet van bewoners, buurthuis draaien, "
        "te weinig vrijwilligers, vrijwilligersvergoeding.",
    ),
    (
        "spelen",
        "Spelen",
        "Kinderen, speeltuin, speelplek, schommel, glijbaan, buiten spelen, "
        "speeltoestellen kapot, plek om te voetballen.",
    ),
    (
        "verkeer",
        "Verkeersveiligheid",
        "Te hard rijden, oversteken, drempels, zebrapad, fietsers, "
        "gevaarlijke kruising, parkeren op de stoep.",
    ),
    (
        "vervoer",
        "Bereikbaarheid en openbaar vervoer",
        "Bus, tram, halte, dienstregeling, ver weg, "
        "geen auto, vervoer naar ziekenhuis of winkels, regiotaxi.",
    ),
    (
        "afval",
        "Afval en schoon",
        "Zwerfafval, vuilnis, containers vol, grofvuil op straat, "
        "hondenpoep, ratten, opruimen, schone straat.",
    ),
]

OPENERS = [
    "Ik woon al twaalf jaar in deze wijk.",
    "Sinds een paar jaar woon ik hier in de buurt.",
    "Ik ben moeder van twee kinderen en woon in een flat.",
    "Ik woon hier met mijn vrouw, we zijn allebei boven de zestig.",
    "Wij wonen in een rijtjeshuis aan de rand van de wijk.",
    "Ik ben hier opgegroeid en na mijn studie teruggekomen.",
    "Mijn dochter en ik zijn twee jaar geleden hierheen verhuisd.",
    "Ik werk als buurtwerker en hoor veel verhalen.",
    "",
    "",
    "",
]

CORE = {
    "eenzaamheid": [
        "Sinds mijn man is overleden, spreek ik soms dagen niemand.",
        "Mijn kinderen wonen ver weg en komen bijna nooit langs.",
        "In het weekend is het heel stil in huis, dan voel ik me alleen.",
        "Ik ken mijn buren niet, iedereen loopt langs elkaar heen.",
        "Vroeger ging ik naar de koffieochtend, maar die bestaat niet meer.",
        "Ik zou graag iemand hebben om af en toe mee te praten.",
    ],
    "geldzorgen": [
        "Aan het eind van de maand hebben we vaak geen geld meer voor boodschappen.",
        "De energierekening is zo hoog geworden dat ik de verwarming uit laat.",
        "Ik heb schulden en durf de brieven niet meer open te maken.",
        "Sinds vorig jaar halen we een pakket bij de voedselbank.",
        "Mijn zoon wil op voetbal, maar de contributie kunnen we niet betalen.",
        "De toeslag moest ik terugbetalen en nu kom ik niet meer rond.",
    ],
    "veiligheid": [
        "Bij ons in de straat is twee keer ingebroken in een paar weken.",
        "In het steegje achter de winkels wordt 's avonds gedeald.",
        "Ik durf in het donker niet meer alleen door het park te lopen.",
        "Mijn fiets is al drie keer gestolen bij het station.",
        "Er hangen groepjes rond die mensen lastigvallen en intimideren.",
        "De straatlantaarns zijn al maanden kapot, het is erg donker.",
    ],
    "groen": [
        "Het grasveld achter de flat is het enige groen dat we hebben.",
        "Er zijn vorig jaar veel bomen gekapt en er zijn geen nieuwe geplant.",
        "Met een paar buren zijn we een moestuin begonnen op een braakliggend stuk.",
        "Ik zou graag meer bloemen en planten zien in plaats van al die tegels.",
        "In de zomer is het hier heel heet omdat er bijna geen schaduw is.",
        "Het park wordt slecht onderhouden, het gras staat tot je knieën.",
    ],
    "jongeren": [
        "Voor tieners is er in deze wijk helemaal niets te doen.",
        "Het jongerencentrum is dichtgegaan en nu hangen ze op straat.",
        "Mijn zoon van vijftien zit de hele dag op zijn telefoon omdat er niks is.",
        "De jongerenwerker was heel belangrijk voor mijn dochter, maar hij is weg.",
        "Jongeren hier vinden moeilijk een stage of een bijbaan.",
        "Er zou een plek moeten komen waar jongeren kunnen sporten en muziek maken.",
    ],
    "ouderen": [
        "Mijn moeder is tachtig en wil zo lang mogelijk zelfstandig thuis blijven wonen.",
        "Met mijn rollator kom ik moeilijk over de hoge stoepranden.",
        "De thuiszorg komt steeds op andere tijden en steeds iemand anders.",
        "Ik zorg elke dag voor mijn vader en ben als mantelzorger erg moe.",
        "Veel senioren in onze flat kunnen niet goed overweg met de computer.",
        "Het dagcentrum voor ouderen heeft een lange wachtlijst.",
    ],
    "taal": [
        "Ik woon drie jaar in Nederland en wil beter Nederlands leren.",
        "Brieven van de gemeente begrijp ik vaak niet, de taal is moeilijk.",
        "De taalles in het buurthuis is gestopt door gebrek aan docenten.",
        "Mijn taalmaatje helpt mij elke week met lezen en spreken.",
        "Als statushouder vind ik het moeilijk om Nederlanders te leren kennen.",
        "Bij de huisarts moet mijn kind voor mij vertalen, dat voelt niet goed.",
    ],
    "overlast": [
        "De bovenburen maken tot diep in de nacht lawaai.",
        "Er zit schimmel in de badkamer en de verhuurder doet er niets aan.",
        "Ik sta al negen jaar op de wachtlijst voor een grotere woning.",
        "De huur is weer omhooggegaan terwijl het onderhoud slecht is.",
        "Onze buren hebben een hond die de hele dag blaft.",
        "Door de dunne muren hoor ik alles van de buren.",
    ],
    "gezondheid": [
        "Ik heb al jaren last van mijn rug en kan weinig bewegen.",
        "Bij de huisarts moet ik weken wachten op een afspraak.",
        "Door de stress over mijn werk slaap ik heel slecht.",
        "Mijn dochter heeft somberheidsklachten en de wachtlijst bij de ggz is lang.",
        "Gezond eten is duur, dus we eten vaak goedkope dingen.",
        "Sinds ik meedoe met het wandelgroepje voel ik me fitter.",
    ],
    "vrijwilligers": [
        "Ik ben al tien jaar vrijwilliger in het buurthuis.",
        "Er zijn te weinig vrijwilligers om de kledingbank open te houden.",
        "De vaste vrijwilligers worden ouder en jonge mensen komen er niet bij.",
        "Ik wil graag meehelpen in de buurt, maar weet niet waar ik me kan aanmelden.",
        "Als vrijwilliger krijg ik soms te weinig waardering van de organisatie.",
        "Samen met andere bewoners organiseer ik elk jaar het buurtfeest.",
    ],
    "spelen": [
        "De speeltuin om de hoek is al maanden afgesloten omdat de schommel kapot is.",
        "Mijn kinderen hebben geen veilige plek om buiten te spelen.",
        "Op het pleintje mag niet gevoetbald worden van de bewoners.",
        "De glijbaan is roestig en er ligt glas in de zandbak.",
        "Voor kleine kinderen is er wel iets, maar voor kinderen van tien niet.",
        "Vroeger speelden alle kinderen samen op straat, nu zie je ze bijna niet.",
    ],
    "verkeer": [
        "Auto's rijden veel te hard door onze straat, terwijl er kinderen lopen.",
        "Bij de kruising bij school gaat het bijna elke week bijna mis.",
        "Er staan auto's op de stoep geparkeerd, met de kinderwagen kan ik er niet langs.",
        "Het zebrapad bij de supermarkt is slecht zichtbaar.",
        "Scooters rijden over het fietspad en halen gevaarlijk in.",
        "Er zouden drempels moeten komen, want het is hier een racebaan.",
    ],
    "vervoer": [
        "Sinds de bus niet meer door de wijk rijdt, kom ik moeilijk bij de winkels.",
        "Ik heb geen auto en het ziekenhuis is met het openbaar vervoer ver weg.",
        "De laatste bus gaat al om acht uur 's avonds.",
        "De regiotaxi komt vaak veel te laat, ik mis daardoor afspraken.",
        "De halte is te ver lopen voor mensen die slecht ter been zijn.",
        "Op zondag rijdt er helemaal geen tram naar het centrum.",
    ],
    "afval": [
        "De containers zitten altijd vol en de zakken staan ernaast.",
        "Overal in het plantsoen ligt zwerfafval, blikjes en plastic.",
        "Mensen zetten grofvuil zomaar op straat, een bank en oude matrassen.",
        "Sinds er afval naast de containers staat, zien we ratten.",
        "Op het grasveld ligt veel hondenpoep, niemand ruimt het op.",
        "Met een groepje bewoners prikken we elke maand zwerfvuil.",
    ],
}

DETAIL = {
    "eenzaamheid": [
        "Soms praat ik tegen de radio.",
        "Op zondag is het het ergst.",
        "Ik schaam me om te zeggen dat ik eenzaam ben.",
        "Een praatje bij de bakker doet me dan goed.",
        "Ik heb niemand om mee te eten.",
    ],
    "geldzorgen": [
        "Ik schaam me daarvoor tegenover de andere ouders.",
        "Elke euro moet ik twee keer omdraaien.",
        "Mijn kinderen merken het ook.",
        "Hulp vragen vind ik moeilijk.",
        "Ik werk wel, maar het salaris is gewoon te laag.",
    ],
    "veiligheid": [
        "De politie zien we hier bijna nooit.",
        "Mijn buurvrouw gaat 's avonds niet meer de deur uit.",
        "We hebben nu een buurt-app opgezet.",
        "Mijn kinderen laat ik niet meer alleen naar buiten.",
        "Melden helpt volgens mij niet.",
    ],
    "groen": [
        "Vogels en vlinders zie je hier bijna niet meer.",
        "De kinderen spelen graag tussen de struiken.",
        "Iedereen zegt dat het grijs en saai is.",
        "Een bankje in de schaduw zou al fijn zijn.",
        "Bij regen staat de straat meteen blank.",
    ],
    "jongeren": [
        "Ze worden snel weggestuurd, terwijl ze niets doen.",
        "Sommige jongens raken zo op het verkeerde pad.",
        "De sportschool is te duur voor ze.",
        "Ze willen zelf ook wel iets organiseren.",
        "Op school gaat het ook niet zo goed.",
    ],
    "ouderen": [
        "Mijn pensioen is klein.",
        "De lift in de flat is vaak stuk.",
        "Ik wil niemand tot last zijn.",
        "Boodschappen doen lukt bijna niet meer.",
        "Gelukkig helpt mijn buurman soms.",
    ],
    "taal": [
        "Ik oefen met filmpjes op mijn telefoon.",
        "Mijn kinderen spreken het al beter dan ik.",
        "Ik wil graag werken, maar zonder taal lukt dat niet.",
        "Op het consultatiebureau begreep ik niets.",
        "Mensen praten vaak te snel.",
    ],
    "overlast": [
        "Ik heb al vaak geklaagd bij de woningcorporatie.",
        "Mijn kinderen slapen er slecht door.",
        "Verhuizen kan ik niet betalen.",
        "Praten met de buren heeft niet geholpen.",
        "Ik word er heel moe van.",
    ],
    "gezondheid": [
        "Werken lukt daardoor maar halve dagen.",
        "De fysiotherapeut wordt niet helemaal vergoed.",
        "Ik voel me vaak moe en lusteloos.",
        "Mijn huisarts heeft weinig tijd.",
        "Sporten kost geld dat we niet hebben.",
    ],
    "vrijwilligers": [
        "Een bedankje van de gemeente zou mooi zijn.",
        "De vergoeding is niet veel, maar het gaat om het idee.",
        "Het geeft mij veel voldoening.",
        "De regels en formulieren worden steeds ingewikkelder.",
        "Zonder ons gaat het buurthuis dicht.",
    ],
    "spelen": [
        "Nu spelen ze binnen op de tablet.",
        "De moeders op het schoolplein klagen er allemaal over.",
        "We hebben het al vaak gemeld.",
        "Een trapveldje zou al veel schelen.",
        "In de zomer is het er heel druk.",
    ],
    "verkeer": [
        "Er is vorig jaar een kind aangereden.",
        "Ik breng mijn kinderen daarom met de auto naar school.",
        "De flitspaal staat alleen aan de andere kant.",
        "Vooral in de spits is het gevaarlijk.",
        "Oudere mensen durven er niet over te steken.",
    ],
    "vervoer": [
        "Een taxi is veel te duur.",
        "Ik ben afhankelijk van mijn buurman met een auto.",
        "Vroeger stopte de bus voor de deur.",
        "Fietsen kan ik niet meer door mijn knie.",
        "Daardoor ga ik minder de deur uit.",
    ],
    "afval": [
        "Het stinkt in de zomer.",
        "De gemeente komt het te laat ophalen.",
        "Ik heb het al vaak gemeld via de app.",
        "Toeristen en bezoekers laten ook veel liggen.",
        "Een extra prullenbak bij het bankje zou helpen.",
    ],
}

ENDINGS = [
    "Ik hoop dat er iets verandert.",
    "Het zou fijn zijn als de gemeente hiernaar luistert.",
    "Dat wilde ik graag even kwijt.",
    "Ik weet niet goed waar ik heen moet met dit verhaal.",
    "Misschien kunnen we samen iets bedenken.",
    "Ik ben benieuwd of anderen dit ook merken.",
    "",
    "",
]

# Paraphrase pairs: the same experience told twice with few shared words.
PARAPHRASES = [
    (
        "eenzaamheid",
        "Sinds mijn vrouw overleed, zie ik soms een week lang geen mens.",
        "Na het sterven van mijn echtgenote komt er dagenlang niemand bij mij over de vloer.",
    ),
    (
        "eenzaamheid",
        "Ik voel me erg alleen, ook al woon ik tussen honderden mensen.",
        "Hoewel de flat vol bewoners zit, heb ik het gevoel dat ik er helemaal op mezelf ben.",
    ),
    (
        "eenzaamheid",
        "Mijn kleinkinderen bellen nooit meer en ik zit de hele dag binnen.",
        "Van mijn familie hoor ik vrijwel niets, dus ik kom mijn woning bijna niet uit.",
    ),
    (
        "geldzorgen",
        "Ik kan de huur deze maand niet betalen.",
        "Het lukt me niet om de woonlasten van dit keer op tijd over te maken.",
    ),
    (
        "geldzorgen",
        "We eten al een week alleen brood omdat het geld op is.",
        "Sinds zeven dagen staat er enkel boterhammen op tafel, want de portemonnee is leeg.",
    ),
    (
        "geldzorgen",
        "De incassobureaus blijven bellen over mijn achterstanden.",
        "Ik word steeds gebeld door mensen die geld komen innen voor openstaande betalingen.",
    ),
    (
        "veiligheid",
        "Ik ben bang om 's avonds over straat te lopen.",
        "Als het donker wordt, durf ik de deur niet meer uit.",
    ),
    (
        "veiligheid",
        "Bij de buren hebben dieven de achterdeur opengebroken.",
        "Inbrekers zijn via de tuin het huis naast ons binnengekomen.",
    ),
    (
        "groen",
        "Ik mis bomen in onze straat, alles is steen.",
        "Overal liggen tegels en beton, nergens een struik of een stukje natuur.",
    ),
    (
        "groen",
        "We willen samen groenten kweken op het lege stuk grond.",
        "Met de buurt zouden we graag een tuintje beginnen om sla en tomaten te telen.",
    ),
    (
        "jongeren",
        "Tieners hebben hier geen plek om naartoe te gaan.",
        "Voor pubers is er in de buurt nergens een ruimte waar ze welkom zijn.",
    ),
    (
        "jongeren",
        "Mijn zoon is gestopt met school en zit nu thuis.",
        "Mijn jongen heeft zijn opleiding afgebroken en hangt de hele dag op de bank.",
    ),
    (
        "ouderen",
        "Mijn oude buurman kan niet meer zelf zijn boodschappen doen.",
        "De bejaarde meneer naast mij lukt het niet langer om naar de supermarkt te gaan.",
    ),
    (
        "ouderen",
        "Ik ben vierentachtig en wil niet naar een verzorgingstehuis.",
        "Op mijn leeftijd wil ik toch liever in mijn eigen huisje blijven dan in een tehuis.",
    ),
    (
        "taal",
        "Ik snap de brieven van de gemeente niet.",
        "Post van het stadhuis is voor mij onleesbaar, ik weet niet wat erin staat.",
    ),
    (
        "taal",
        "Ik wil graag Nederlands oefenen met iemand uit de buurt.",
        "Het zou fijn zijn als een buurtgenoot met mij de taal wil spreken.",
    ),
    (
        "overlast",
        "De bovenburen draaien elke nacht harde muziek.",
        "Boven ons staat tot vier uur de stereo keihard aan.",
    ),
    (
        "overlast",
        "Er zit zwarte schimmel op de muren van de slaapkamer.",
        "In de kamer waar we slapen groeit overal zwart spul op het behang door vocht.",
    ),
    (
        "gezondheid",
        "Ik moet drie weken wachten voordat de dokter tijd heeft.",
        "Een afspraak bij de huisartsenpraktijk krijg ik pas over een maand.",
    ),
    (
        "gezondheid",
        "Door piekeren lig ik elke nacht wakker.",
        "Ik maak me zoveel zorgen dat ik 's nachts geen oog dichtdoe.",
    ),
    (
        "vrijwilligers",
        "Het buurthuis vindt niemand meer die wil helpen.",
        "Voor het wijkcentrum melden zich geen mensen meer aan om mee te draaien.",
    ),
    (
        "vrijwilligers",
        "Ik help elke dinsdag gratis bij de kledingbank.",
        "Op dinsdagen sta ik onbetaald kleren uit te delen aan mensen met weinig geld.",
    ),
    (
        "spelen",
        "De schommel in de speeltuin is al maanden kapot.",
        "Het speeltoestel op het plein is sinds het voorjaar stuk en niemand repareert het.",
    ),
    (
        "spelen",
        "Mijn kinderen kunnen nergens veilig buiten spelen.",
        "Er is voor mijn zoon en dochter geen plek in de buurt"
        " waar ze zonder gevaar kunnen ravotten.",
    ),
    (
        "verkeer",
        "Auto's scheuren hier met tachtig door de straat.",
        "Automobilisten rijden in onze woonstraat veel harder dan toegestaan is.",
    ),
    (
        "verkeer",
        "Oversteken bij de school is levensgevaarlijk.",
        "Bij het schoolgebouw naar de overkant komen is een groot risico voor de leerlingen.",
    ),
    (
        "vervoer",
        "De bus rijdt niet meer naar het ziekenhuis.",
        "Er is geen openbaar vervoer meer om bij het hospitaal te komen.",
    ),
    (
        "vervoer",
        "Zonder auto kom ik nergens, de halte is te ver.",
        "Omdat ik niet rijd en de dichtstbijzijnde bushalte een halfuur lopen is, zit ik vast.",
    ),
    (
        "afval",
        "Bij de containers liggen altijd vuilniszakken.",
        "Naast de afvalbakken staan steeds volle zakken met rommel.",
    ),
    (
        "afval",
        "Het park ligt vol met blikjes en plastic.",
        "In het groen vind je overal lege flesjes, verpakkingen en ander zwerfvuil.",
    ),
]

# English-Dutch pairs: the same story in both languages.
BILINGUAL = [
    (
        "eenzaamheid",
        "Since my husband died I often feel very lonely and talk to nobody.",
        "Sinds mijn man is gestorven voel ik me vaak eenzaam en praat ik met niemand.",
    ),
    (
        "geldzorgen",
        "We cannot pay our energy bill and we have debts.",
        "We kunnen de energierekening niet betalen en we hebben schulden.",
    ),
    (
        "veiligheid",
        "I do not feel safe in the park at night because of drug dealers.",
        "Ik voel me 's nachts niet veilig in het park door drugsdealers.",
    ),
    (
        "taal",
        "I want to learn Dutch but the language classes are full.",
        "Ik wil Nederlands leren, maar de taallessen zitten vol.",
    ),
    (
        "spelen",
        "The playground is broken and my children have nowhere to play.",
        "De speeltuin is kapot en mijn kinderen kunnen nergens spelen.",
    ),
    (
        "verkeer",
        "Cars drive far too fast near the primary school.",
        "Auto's rijden veel te snel bij de basisschool.",
    ),
    (
        "vervoer",
        "The bus to the city centre stopped running on Sundays.",
        "De bus naar het centrum rijdt op zondag niet meer.",
    ),
    (
        "afval",
        "There is rubbish everywhere and the bins are always full.",
        "Overal ligt afval en de containers zijn altijd vol.",
    ),
    (
        "overlast",
        "My neighbours make noise all night and I cannot sleep.",
        "Mijn buren maken de hele nacht lawaai en ik kan niet slapen.",
    ),
    (
        "gezondheid",
        "I have to wait weeks to see my general practitioner.",
        "Ik moet weken wachten voordat ik bij mijn huisarts terecht kan.",
    ),
]

# Stories that fit none of the themes (a story may get no theme).
NO_THEME = [
    "Gisteren heb ik een nieuwe jas gekocht, hij is blauw en heel warm.",
    "Mijn kat heeft vier kittens gekregen, we zoeken nog een baasje.",
    "Ik heb mijn rijbewijs gehaald in één keer.",
    "Ons voetbalteam heeft zaterdag met drie-nul gewonnen.",
    "Ik kijk graag naar kookprogramma's op televisie.",
    "Mijn oom heeft een boek geschreven over de oorlog.",
    "De verjaardag van mijn dochter vieren we met taart.",
    "Ik verzamel postzegels uit de hele wereld.",
]


def generate(per_theme: int = 19, seed: int = 13) -> list[dict]:
    rng = random.Random(seed)
    stories: list[dict] = []
    n = 0
    for theme_id, _, _ in THEMES:
        seen = set()
        while len(seen) < per_theme:
            a, b = rng.sample(range(len(CORE[theme_id])), 2)
            d = rng.randrange(len(DETAIL[theme_id]))
            o = rng.randrange(len(OPENERS))
            e = rng.randrange(len(ENDINGS))
            key = (min(a, b), max(a, b), d)
            if key in seen:
                continue
            seen.add(key)
            parts = [
                OPENERS[o],
                CORE[theme_id][a],
                DETAIL[theme_id][d],
                CORE[theme_id][b],
                ENDINGS[e],
            ]
            n += 1
            stories.append(
                {"id": f"g{n:03d}", "text": " ".join(p for p in parts if p), "themes": [theme_id]}
            )
    for i, (theme_id, a, b) in enumerate(PARAPHRASES, start=1):
        for side, text in (("a", a), ("b", b)):
            stories.append(
                {"id": f"p{i:02d}{side}", "text": text, "themes": [theme_id], "pair": f"p{i:02d}"}
            )
    for i, (theme_id, en, nl) in enumerate(BILINGUAL, start=1):
        stories.append(
            {
                "id": f"e{i:02d}en",
                "text": en,
                "themes": [theme_id],
                "pair": f"e{i:02d}",
                "lang": "en",
            }
        )
        stories.append(
            {
                "id": f"e{i:02d}nl",
                "text": nl,
                "themes": [theme_id],
                "pair": f"e{i:02d}",
                "lang": "nl",
            }
        )
    for i, text in enumerate(NO_THEME, start=1):
        stories.append({"id": f"x{i:02d}", "text": text, "themes": []})
    return stories


def main() -> None:
    stories = generate()
    with open(HERE / "eval_stories.jsonl", "w", encoding="utf-8") as f:
        for s in stories:
            f.write(json.dumps(s, ensure_ascii=False) + "\n")
    themes = [{"id": i, "label": label, "description": d} for i, label, d in THEMES]
    (HERE / "eval_themes.json").write_text(
        json.dumps(themes, ensure_ascii=False, indent=1) + "\n", "utf-8"
    )
    print(f"{len(stories)} stories, {len(themes)} themes")


if __name__ == "__main__":
    main()
