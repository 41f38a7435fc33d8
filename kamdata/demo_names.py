"""Vocabulary of the demo export set: fictional German FM customers, real German cities.

All company names are invented combinations of a landscape stem and an
industry pattern; they must not name real companies. Every string here is
encodable in Windows-1252 because the German dialect writes master tables in it.
"""

from __future__ import annotations

REGIONS = ("Nord", "Süd", "West", "Ost", "Mitte")

# (city, region, latitude, longitude): real coordinates of the city centre.
CITIES = (
    ("Hamburg", "Nord", 53.5511, 9.9937), ("Bremen", "Nord", 53.0793, 8.8017),
    ("Hannover", "Nord", 52.3759, 9.7320), ("Kiel", "Nord", 54.3233, 10.1228),
    ("Lübeck", "Nord", 53.8655, 10.6866), ("Rostock", "Nord", 54.0924, 12.0991),
    ("Osnabrück", "Nord", 52.2799, 8.0472), ("Oldenburg", "Nord", 53.1435, 8.2146),
    ("Braunschweig", "Nord", 52.2689, 10.5268),
    ("München", "Süd", 48.1351, 11.5820), ("Stuttgart", "Süd", 48.7758, 9.1829),
    ("Nürnberg", "Süd", 49.4521, 11.0767), ("Augsburg", "Süd", 48.3705, 10.8978),
    ("Regensburg", "Süd", 49.0134, 12.1016), ("Freiburg im Breisgau", "Süd", 47.9990, 7.8421),
    ("Ulm", "Süd", 48.4011, 9.9876), ("Ingolstadt", "Süd", 48.7665, 11.4258),
    ("Würzburg", "Süd", 49.7913, 9.9534),
    ("Köln", "West", 50.9375, 6.9603), ("Düsseldorf", "West", 51.2277, 6.7735),
    ("Dortmund", "West", 51.5136, 7.4653), ("Essen", "West", 51.4556, 7.0116),
    ("Duisburg", "West", 51.4344, 6.7623), ("Bonn", "West", 50.7374, 7.0982),
    ("Münster", "West", 51.9607, 7.6261), ("Aachen", "West", 50.7753, 6.0839),
    ("Bochum", "West", 51.4818, 7.2162), ("Bielefeld", "West", 52.0302, 8.5325),
    ("Berlin", "Ost", 52.5200, 13.4050), ("Leipzig", "Ost", 51.3397, 12.3731),
    ("Dresden", "Ost", 51.0504, 13.7373), ("Magdeburg", "Ost", 52.1205, 11.6276),
    ("Erfurt", "Ost", 50.9848, 11.0299), ("Potsdam", "Ost", 52.3906, 13.0645),
    ("Chemnitz", "Ost", 50.8278, 12.9214), ("Halle (Saale)", "Ost", 51.4969, 11.9688),
    ("Jena", "Ost", 50.9271, 11.5892),
    ("Frankfurt am Main", "Mitte", 50.1109, 8.6821), ("Wiesbaden", "Mitte", 50.0782, 8.2398),
    ("Mainz", "Mitte", 49.9929, 8.2473), ("Kassel", "Mitte", 51.3127, 9.4797),
    ("Darmstadt", "Mitte", 49.8728, 8.6512), ("Mannheim", "Mitte", 49.4875, 8.4660),
    ("Karlsruhe", "Mitte", 49.0069, 8.4037), ("Gießen", "Mitte", 50.5841, 8.6784),
    ("Saarbrücken", "Mitte", 49.2402, 6.9969),
)

NAME_STEMS = (
    "Nordbahn", "Elbtal", "Rheinblick", "Südstern", "Havelland", "Isartal", "Mainfranken",
    "Weserland", "Spreebogen", "Alpenland", "Ostseeküste", "Bergisches Land", "Taunus", "Harzvorland",
    "Moselblick", "Neckartal", "Donauufer", "Lahntal", "Ruhrtal", "Saaletal", "Schwarzwald",
    "Emsland", "Allgäu", "Vogtland", "Odenwald", "Eifel", "Sauerland", "Altmark", "Uckermark",
    "Lausitz", "Wetterau", "Kraichgau", "Hunsrück", "Fichtelgebirge", "Westerwald", "Rhön",
)

# industry -> (name patterns with {s} = stem, building types with weights)
INDUSTRIES = {
    "Healthcare": (
        ("Klinikum {s} gGmbH", "{s} Kliniken gGmbH", "Gesundheitsverbund {s} GmbH"),
        (("Hospital", 6), ("Office", 2), ("Laboratory", 1)),
    ),
    "Automotive": (
        ("{s} Fahrzeugtechnik AG", "{s} Automotive Systems GmbH", "{s} Antriebstechnik GmbH"),
        (("Production", 6), ("Office", 2), ("Warehouse", 2)),
    ),
    "Banking": (
        ("{s} Bank AG", "Sparkasse {s}", "Volksbank {s} eG"),
        (("Office", 8), ("Data center", 1), ("Retail", 2)),
    ),
    "Public sector": (
        ("Stadtwerke {s}", "Kreisverwaltung {s}", "Zweckverband {s}"),
        (("Office", 5), ("School", 4), ("Warehouse", 1)),
    ),
    "Retail": (
        ("{s} Handelshaus GmbH & Co. KG", "{s} Warenhaus GmbH", "{s} Markt GmbH"),
        (("Retail", 7), ("Warehouse", 2), ("Office", 1)),
    ),
    "Logistics": (
        ("{s} Logistik AG", "Spedition {s} GmbH", "{s} Cargo GmbH"),
        (("Warehouse", 7), ("Office", 2)),
    ),
    "Pharma": (
        ("{s} Pharma SE", "{s} Biotech GmbH", "{s} Arzneimittelwerk GmbH"),
        (("Laboratory", 4), ("Production", 4), ("Office", 2)),
    ),
    "Real estate": (
        ("{s} Immobilien AG", "{s} Wohnbau GmbH", "{s} Bürohaus Verwaltung GmbH"),
        (("Office", 7), ("Retail", 2)),
    ),
    "IT & Telecom": (
        ("{s} Datacenter GmbH", "{s} Netz AG", "{s} IT-Services GmbH"),
        (("Data center", 5), ("Office", 4)),
    ),
}

BUILDING_NAMES = {
    "Office": "Bürogebäude", "Hospital": "Klinikgebäude", "Warehouse": "Logistikzentrum",
    "Production": "Werk", "Retail": "Filiale", "Data center": "Rechenzentrum",
    "School": "Schulzentrum", "Laboratory": "Laborgebäude",
}

# building type -> (floor area median m2, electricity kWh/m2/yr, heating kWh/m2/yr, water m3/m2/yr)
BUILDING_PROFILES = {
    "Office": (9000, 95.0, 100.0, 0.35),
    "Hospital": (28000, 190.0, 240.0, 1.60),
    "Warehouse": (22000, 40.0, 55.0, 0.08),
    "Production": (30000, 260.0, 120.0, 0.90),
    "Retail": (5000, 150.0, 90.0, 0.20),
    "Data center": (6000, 1400.0, 20.0, 0.50),
    "School": (7000, 30.0, 110.0, 0.30),
    "Laboratory": (8000, 220.0, 180.0, 1.10),
}

SERVICE_LINES = ("technical_fm", "cleaning", "security", "catering", "energy_management", "workplace_services")

# service line -> ((category, weight, seasonal HVAC-like swing), ...)
TICKET_CATEGORIES = {
    "technical_fm": (
        ("hvac", 5, 0.7), ("electrical", 4, 0.0), ("plumbing", 3, 0.2), ("elevator", 2, 0.0),
        ("fire_safety", 1, 0.0), ("building_automation", 2, 0.3), ("roof_facade", 1, 0.2),
    ),
    "cleaning": (("cleaning_request", 6, 0.0), ("waste_disposal", 2, 0.0), ("window_cleaning", 1, 0.0), ("hygiene_supplies", 2, 0.0)),
    "security": (("access_control", 4, 0.0), ("alarm", 2, 0.0), ("patrol", 1, 0.0), ("cctv", 1, 0.0)),
    "catering": (("catering_order", 3, 0.0), ("kitchen_equipment", 2, 0.0), ("vending", 1, 0.0)),
    "energy_management": (("meter_fault", 2, 0.0), ("energy_audit", 1, 0.0), ("lighting", 2, 0.0)),
    "workplace_services": (("moves", 2, 0.0), ("furniture", 2, 0.0), ("mailroom", 1, 0.0), ("meeting_room", 2, 0.0)),
}

# department -> (share of the workforce, role, weekly hours choices)
DEPARTMENTS = {
    "Key Account Management": (0.0, "Key Account Manager"),
    "Technik": (0.42, "Servicetechniker"),
    "Objektleitung": (0.10, "Objektleiter"),
    "Reinigung": (0.16, "Vorarbeiter Reinigung"),
    "Sicherheit": (0.10, "Sicherheitsfachkraft"),
    "Vertragsmanagement": (0.06, "Vertragsmanager"),
    "Finanzen": (0.05, "Controller"),
    "Energiemanagement": (0.05, "Energieberater"),
    "Catering": (0.06, "Küchenleiter"),
}

ACTIVITIES = {
    "Key Account Management": ("Kundentermin", "Quartalsreview vorbereiten", "Angebotserstellung", "Eskalation klären"),
    "Technik": ("Störungsbehebung", "Wartung", "Prüfung nach DGUV V3", "Inspektion Lüftungsanlage"),
    "Objektleitung": ("Objektbegehung", "Einsatzplanung", "Qualitätskontrolle", "Kundenabstimmung"),
    "Reinigung": ("Unterhaltsreinigung", "Grundreinigung", "Qualitätskontrolle"),
    "Sicherheit": ("Objektschutz", "Revierdienst", "Zutrittskontrolle"),
    "Vertragsmanagement": ("Vertragsprüfung", "Nachtragsverhandlung", "Leistungsverzeichnis"),
    "Finanzen": ("Abrechnung", "Monatsabschluss", "Forecast"),
    "Energiemanagement": ("Energieaudit", "Zählerauswertung", "CO2-Bilanz"),
    "Catering": ("Speiseplanung", "Ausgabe", "Warenannahme"),
}
INTERNAL_ACTIVITIES = ("Schulung", "Teambesprechung", "Verwaltung", "Fahrzeit intern")

FIRST_NAMES = (
    "Anna", "Jürgen", "Sabine", "Thomas", "Katrin", "Michael", "Stefanie", "Andreas", "Julia", "Frank",
    "Claudia", "Markus", "Nicole", "Stefan", "Petra", "Christian", "Sandra", "Martin", "Melanie", "Oliver",
    "Birgit", "Tobias", "Daniela", "Sebastian", "Susanne", "Florian", "Monika", "Matthias", "Kerstin", "Jörg",
    "Heike", "Dirk", "Tanja", "Uwe", "Anja", "Björn", "Silke", "Ralf", "Nadine", "Sven",
    "Jana", "Lukas", "Lea", "Jonas", "Sophie", "Felix", "Marie", "Timo", "Hannah", "Mehmet",
    "Aylin", "Dragan", "Elif", "Piotr", "Agnieszka", "Luca", "Giulia", "Nikos", "René", "Zoë",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier",
    "Lehmann", "Schmid", "Schulze", "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber",
    "Kaiser", "Fuchs", "Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert",
    "Vogel", "Friedrich", "Keller", "Günther", "Frank", "Berger", "Winkler", "Roth", "Beck", "Lorenz",
    "Yilmaz", "Kowalski", "Nowak", "Papadopoulos", "Rossi", "Öztürk", "Horvat", "Dubois",
)

SUBJECTS_US = (
    "Quartalsreview Q{q}", "Vorstellung Energiesparkonzept", "Abstimmung Leistungsverzeichnis",
    "Proaktiver Hinweis: Wartungsfenster Aufzüge", "Begehung mit Objektleitung", "CO2-Bilanz {y} vorgestellt",
    "Angebot Ausweitung Reinigung", "Jahresgespräch {y}", "Info: neue Ansprechpartnerin Technik",
    "Workshop Arbeitsplatzkonzept", "Follow-up offene Punkte",
)
SUBJECTS_CUSTOMER = (
    "Beschwerde: Heizung im Trakt B ausgefallen", "Rückfrage zur Rechnung {m}", "Eskalation: Reaktionszeit P1",
    "Anfrage Zusatzleistung Winterdienst", "Kritik an Reinigungsqualität", "Terminwunsch Vertragsgespräch",
    "Anfrage: Zutrittskarten für neue Mitarbeitende", "Reklamation Kantinenessen", "Bitte um Angebot Umzug",
)

COMMITMENTS = (
    "Wartungsplan Lüftung bis Monatsende überarbeiten", "Angebot für Winterdienst vorlegen",
    "Energiebericht {y} liefern", "Reinigungsintervalle Sanitär anpassen", "Zweiten Techniker vor Ort einplanen",
    "Schlüsselverwaltung digitalisieren", "Ursachenanalyse Aufzugstörungen vorlegen",
    "Preisanpassung nach Index schriftlich erläutern", "Schulung Brandschutzhelfer organisieren",
    "LED-Umrüstung Parkhaus kalkulieren", "Reaktionszeiten P1 wöchentlich berichten",
    "Zutrittskonzept Haupteingang abstimmen",
)

OPPORTUNITY_NOTES = ("Ausschreibung", "Erweiterung", "Pilot", "Nachtrag")

# Survey comments as real exports contain them: commas, quotes, line breaks, HTML-like text.
COMMENTS_POSITIVE = (
    "Sehr zufrieden mit dem Objektleiter, schnelle Reaktion.",
    'Das Team vor Ort ist "Gold wert" – weiter so!',
    "Reinigung deutlich besser als im Vorjahr.\nDanke an Frau Schäfer und ihr Team.",
    "Energiebericht war hilfreich, gerne quartalsweise.",
    "Kompetent, freundlich, zuverlässig.",
    "<b>Top</b> Service beim Umzug der Abteilung, alles im Zeitplan.",
)
COMMENTS_NEUTRAL = (
    "Im Großen und Ganzen ok, Kommunikation könnte besser sein.",
    "Preis-Leistung passt, aber Rückmeldungen dauern manchmal, gerade freitags.",
    'Techniker kam pünktlich; die "Nacharbeit" hat aber zwei Wochen gedauert.',
    "Kantine: Auswahl gut,\nWartezeiten mittags zu lang.",
)
COMMENTS_NEGATIVE = (
    "Heizungsausfall drei Tage ohne Rückmeldung. Inakzeptabel!",
    'Wir warten seit Wochen auf das zugesagte Angebot; "nächste Woche" hören wir ständig.',
    "Reaktionszeiten bei P1 nicht eingehalten.\nBitte dringend Eskalationsgespräch.\n\nGruß, Facility-Leitung",
    "<p>Reinigung der Sanitärbereiche <i>mangelhaft</i>, siehe Fotos im Anhang</p>",
    "Ansprechpartner wechseln ständig, keiner fühlt sich zuständig, Vertrag wird geprüft.",
    "Aufzug in Haus C zum 4. Mal ausgefallen; <script>alert(1)</script> – so geht das nicht.",
)
