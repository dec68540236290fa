"""Every word the app shows, in Dutch and in English: one place, so neither interface leaks the other."""
from __future__ import annotations

TEXT = {
    "nl": {
        "app_title": "Vraag het de IND-rapporten",
        "compare_intro": ("Wat zeggen de rapporten door de jaren heen over één onderwerp? Per rapport: op hoeveel "
                          "plekken het erover spreekt, en elke passage met haar bron."),
        "figures_intro": ("De cijfers uit de tabellen van de rapporten over één onderwerp, per jaar, elk met zijn bron. "
                          "Cijfers die alleen in de lopende tekst staan, vindt u via Zoeken."),
        "verify_intro": ("Staat een citaat echt in de rapporten? Plak één zin of een hele tekst: u ziet of de woorden "
                         "woordelijk, gewijzigd of niet als citaat in de rapporten staan, met de bron."),
        "add_intro": "Voeg een eigen rapport toe (PDF, tekst of Markdown); daarna is het doorzoekbaar naast de IND-rapporten.",
        "intro": ("Stel een vraag over de jaarverslagen en uitvoeringsrapporten van de IND (2011–2023). "
                  "U krijgt de passages uit de rapporten zelf, met het antwoord gemarkeerd en een volledige "
                  "bronvermelding om te citeren. Alles draait op deze computer; er gaat niets naar buiten."),
        "examples": "Bijvoorbeeld:",
        "example_questions": ["tijdige afhandeling klachten 2012", "Hoeveel asielaanvragen waren er in 2016?",
                              "Wat zegt de IND over wachttijden?"],
        "blank": "Typ eerst een vraag, bijvoorbeeld een van de voorbeelden hieronder.",
        "ask": "Zoeken", "compare": "Vergelijken", "figures": "Cijfers", "verify": "Citaat controleren",
        "add": "Toevoegen", "context": "Lees in context", "question": "Vraag", "years": "Rapportjaar",
        "years_help": "Het jaar in de titel van een rapport; een rapport gaat vaak ook over het jaar ervoor. "
                      "Laat het leeg om in alle rapporten te zoeken.",
        "docs": "Rapporten", "k": "Aantal passages", "topic": "Onderwerp",
        "question_help": "Druk op Enter om te zoeken.", "topic_help": "Druk op Enter om te zoeken.",
        "all_years": "Alle jaren", "all_docs": "Alle rapporten",
        "none": "Geen passages gevonden; probeer andere woorden.",
        "building": "Index bouwen (eenmalig)…", "built": "Index klaar: {n} passages in {s:.0f} s",
        "ready": "Index klaar", "progress": "{pct:.0f}% van de tekst ingebed · nog ongeveer {left:.0f} s",
        "progress_start": "Rapporten lezen…",
        "nothing": "Dit rapport spreekt er niet over.",
        "none_speaks": ("Geen van de rapporten gebruikt deze woorden. Vergelijken zoekt de woorden van de rapporten "
                        "zelf, in het Nederlands: probeer bijvoorbeeld dwangsommen, klachten of nareizigers."),
        "speaks": {0: "spreekt er niet over", 1: "spreekt er op één plek over"},
        "speaks_n": "spreekt er op {n} plekken over",
        "chart_places": "plekken", "chart_reports": "rapport (jaar)",
        "passage_n": "Passage {n}", "back": "Terug naar de resultaten",
        "prev": "Vorige sectie", "next": "Volgende sectie", "page": "pagina {n}",
        "open_file": "Open het originele bestand", "open_page": "Open het originele bestand op pagina {n}",
        "not_found_doc": "Dit document staat niet (meer) in de index.",
        "upload": "Rapport toevoegen", "upload_help": "PDF, tekst (.txt) of Markdown (.md), tot 50 MB.",
        "exists": "Er staat al een document met de naam", "overwrite": "Vervangen", "added": "Toegevoegd en doorzoekbaar:",
        "refused": "Geweigerd:", "export": "Exporteren", "fact": "Uit de tabellen",
        "no_figures": ("Geen tabelcijfers over dit onderwerp; probeer een woord uit een tabeltitel (klachten, asiel), "
                       "of zoek cijfers in de lopende tekst via Zoeken."),
        "disputed": "De rapporten geven verschillende waarden voor",
        "quote": "Tekst om te controleren", "similarity": "gelijkenis",
        "diff": "Verschillen (doorgestreept: alleen in het rapport; vet: alleen in uw tekst)",
        "restore": "Vorige index gebruiken", "rebuild": "Index opnieuw bouwen",
        "no_answer": ("De rapporten lijken deze vraag niet te beantwoorden. Dit zijn de passages die er het dichtst bij "
                      "komen; grijs gemarkeerd is de zin die het dichtst bij de vraag komt, geen antwoord."),
        "respelled": "Gezocht als", "typed": "getypt",
        "copy": "Citaat om te kopiëren (met bron)", "copy_closest": "Dichtstbijzijnde zin, geen antwoord (met bron)",
        "export_no_answer": "De rapporten lijken deze vraag niet te beantwoorden; de citaten zijn de passages die er het dichtst bij komen.", "why": "Waarom deze passage?",
        "why_lines": {"bm25_terms": "Gedeelde woorden met de vraag", "dense_score": "Gelijkenis in betekenis (0–1)",
                      "sentence_score": "Gelijkenis van de beste zin (0–1)", "term_share": "Aandeel van de zoekwoorden",
                      "year_hint": "Past bij het gevraagde jaar (0–1)"},
        "answer_row": "antwoord", "closest_row": "dichtstbij", "row": "rij",
        "locked": ("Toevoegen staat uit op deze server. Een beheerder zet het aan met KB_ALLOW_UPLOADS=1 of met "
                   "een wachtwoord in KB_ADMIN_PASSWORD (zie README)."),
        "password": "Beheerderswachtwoord", "wrong_password": "Dat wachtwoord klopt niet.",
        "form_title": "Titel", "form_publisher": "Uitgever (organisatie of persoon)", "form_year": "Jaar van het rapport",
        "form_published": "Verschenen (jaar of datum, mag leeg)", "form_period": "Over welke jaren gaan de cijfers?",
        "form_submit": "Toevoegen aan de rapporten",
        "provenance_note": ("Een toegevoegd document wordt altijd geciteerd met ‘toegevoegd door een gebruiker’ en de "
                            "datum, zodat niemand het als een publicatie van de IND aanhaalt."),
        "drop": "Sleep een bestand hierheen of klik om te kiezen",
        "chart_year": "jaar", "chart_value": "waarde", "chart_report": "rapport", "chart_written": "zoals geschreven",
        "chart_source": "bron", "chart_measure": "maat",
        "more_series": "Meer reeksen over dit onderwerp", "closest": "Dichtstbijzijnde passages",
    },
    "en": {
        "app_title": "Ask the IND reports",
        "compare_intro": ("What do the reports say about one subject over the years? Per report: in how many places "
                          "it speaks of it, and every passage with its source."),
        "figures_intro": ("The figures in the reports' tables on one subject, by year, each with its source. "
                          "Figures given only in the running text are found with Search."),
        "verify_intro": ("Is a quote really in the reports? Paste one sentence or a whole text: you see whether the "
                         "words are in the reports word for word, changed, or not as a quote, with the source."),
        "add_intro": "Add a report of your own (PDF, text or Markdown); it is then searched beside the IND reports.",
        "intro": ("Ask a question about the annual and implementation reports of the Dutch Immigration and "
                  "Naturalisation Service (IND, 2011–2023). You get passages from the reports themselves, the "
                  "answer marked, with a full citation to quote. Everything runs on this computer; nothing is sent out."),
        "examples": "For example:",
        "example_questions": ["tijdige afhandeling klachten 2012", "How many asylum applications were there in 2016?",
                              "What does the IND say about waiting times?"],
        "blank": "Type a question first, for instance one of the examples below.",
        "ask": "Search", "compare": "Compare", "figures": "Figures", "verify": "Check a quote",
        "add": "Add", "context": "Read in context", "question": "Question", "years": "Report year",
        "years_help": "The year in a report's title; a report often covers the year before too. "
                      "Leave it empty to search every report.",
        "docs": "Reports", "k": "Number of passages", "topic": "Subject",
        "question_help": "Press Enter to search.", "topic_help": "Press Enter to search.",
        "all_years": "All years", "all_docs": "All reports",
        "none": "No passages found; try other words.",
        "building": "Building the index (once)…", "built": "Index ready: {n} passages in {s:.0f} s",
        "ready": "Index ready", "progress": "{pct:.0f}% of the text embedded · about {left:.0f} s to go",
        "progress_start": "Reading the reports…",
        "nothing": "This report does not speak of it.",
        "none_speaks": ("None of the reports uses these words. Compare looks for the reports' own words, in Dutch: "
                        "try for example dwangsommen (penalty payments), klachten (complaints) or nareizigers."),
        "speaks": {0: "does not speak of it", 1: "speaks of it in one place"},
        "speaks_n": "speaks of it in {n} places",
        "chart_places": "places", "chart_reports": "report (year)",
        "passage_n": "Passage {n}", "back": "Back to the results",
        "prev": "Previous section", "next": "Next section", "page": "page {n}",
        "open_file": "Open the original file", "open_page": "Open the original file at page {n}",
        "not_found_doc": "This document is not (or no longer) in the index.",
        "upload": "Add a report", "upload_help": "PDF, text (.txt) or Markdown (.md), up to 50 MB.",
        "exists": "A document already has the name", "overwrite": "Replace", "added": "Added and searchable:",
        "refused": "Refused:", "export": "Export", "fact": "From the tables",
        "no_figures": ("No table figures on this subject; try a word of a table title (klachten, asiel), "
                       "or find figures in the running text with Search."),
        "disputed": "The reports give different values for",
        "quote": "Text to check", "similarity": "similarity",
        "diff": "Differences (struck: only in the report; bold: only in your text)",
        "restore": "Use the previous index", "rebuild": "Rebuild the index",
        "no_answer": ("The reports do not seem to answer this question. These are the closest passages; marked in grey "
                      "is the sentence nearest the question, not an answer."),
        "respelled": "Searched as", "typed": "typed",
        "copy": "Quote to copy (with its source)", "copy_closest": "Nearest sentence, not an answer (with its source)",
        "export_no_answer": "The reports do not seem to answer this question; the quotes are the passages closest to it.", "why": "Why this passage?",
        "why_lines": {"bm25_terms": "Words shared with the question", "dense_score": "Similarity in meaning (0–1)",
                      "sentence_score": "Similarity of the best sentence (0–1)", "term_share": "Share of the search words",
                      "year_hint": "Fits the year asked for (0–1)"},
        "answer_row": "answer", "closest_row": "nearest", "row": "row",
        "locked": ("Adding is off on this server. An administrator turns it on with KB_ALLOW_UPLOADS=1 or with a "
                   "password in KB_ADMIN_PASSWORD (see the README)."),
        "password": "Administrator password", "wrong_password": "That password is not right.",
        "form_title": "Title", "form_publisher": "Publisher (an organisation or a person)", "form_year": "Year of the report",
        "form_published": "Published (year or date, may be empty)", "form_period": "Which years are its figures about?",
        "form_submit": "Add to the reports",
        "provenance_note": ("An added document is always cited with ‘added by a user’ and the date, so nobody quotes it "
                            "as an IND publication."),
        "drop": "Drag a file here or click to choose",
        "chart_year": "year", "chart_value": "value", "chart_report": "report", "chart_written": "as written",
        "chart_source": "source", "chart_measure": "measure",
        "more_series": "More series on this subject", "closest": "Closest passages",
    },
}

# Citaat controleren's own words (its keys overlap TEXT's: "exact", "not_found")
VERIFY_WORDS = {
    "nl": {"one": "Eén citaat", "article": "Hele tekst", "check": "Controleren",
           "article_text": "Tekst of artikel, zin voor zin te controleren",
           "exact": "Gevonden, woordelijk", "equivalent": "Gevonden; de verschillen zijn alleen van vorm "
           "(hoofdletters, schrijfwijze van getallen, leestekens, een lidwoord; na ‘Volgens …’ de plaats van het werkwoord)",
           "frame": "(de woorden die zeggen wiens bewering het is, worden niet gecontroleerd)",
           "altered": "Gewijzigd: het rapport zegt hier iets anders", "source": "Wat het rapport zegt",
           "partial": "Gedeeltelijk: de woorden staan in de rapporten, maar niet als één passage",
           "left_out": "Weggelaten woorden", "also_from": "Ook uit", "not_found": "Niet als citaat in de rapporten gevonden: zo staat het er niet. In andere woorden kan het er "
           "wel staan; zie de passages die er het dichtst bij komen",
           "translation": "Dit lijkt Engels. Een vertaling is geen citaat; de gemarkeerde zin hieronder kan de "
           "Nederlandse bron zijn.",
           "columns": {"sentence": "Zin", "verdict": "Oordeel", "changes": "Wijzigingen", "citation": "Bron",
                       "checked": "Gecontroleerde woorden",
                       "nearest": "Niet als citaat gevonden: de passage die er het dichtst bij komt (dezelfde bewering?)"}},
    "en": {"one": "One quote", "article": "Whole text", "check": "Check",
           "article_text": "Text or article, to check sentence by sentence",
           "exact": "Found, word for word", "equivalent": "Found; the differences are of form only "
           "(case, how numbers are written, punctuation, an article; after ‘Volgens …’ the verb's place)",
           "frame": "(the words saying whose claim it is are not checked)",
           "altered": "Altered: the report says something else here", "source": "What the report says",
           "partial": "Partial: the words are in the reports, but not as one passage",
           "left_out": "Words left out", "also_from": "Also from", "not_found": "Not found as a quote in the reports: they do not say it in these words. In other words they "
           "may; see the passages closest to it",
           "translation": "This reads as English. A translation is not a quote; the marked sentence below may be "
           "the Dutch source.",
           "columns": {"sentence": "Sentence", "verdict": "Verdict", "changes": "Changes", "citation": "Source",
                       "checked": "Words checked", "nearest": "Not found as a quote: the closest passage (the same claim?)"}},
}
