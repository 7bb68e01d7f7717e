// First and last names that fit each market (common names, no real people), and the
// ASCII form of a name for email addresses.

export type DemoMarket = 'DE' | 'AT' | 'CH' | 'NL' | 'SE' | 'UK';

const words = (list: string): readonly string[] => list.trim().split(/\s+/);

const germanFirst = words(`
  Anna Lena Laura Julia Sarah Lisa Katharina Sophie Marie Hannah Johanna Lea Clara Emma Mia Paula
  Sabine Petra Claudia Susanne Andrea Birgit Monika Nicole Stefanie Carina Franziska Miriam Jana
  Lukas Jonas Leon Felix Maximilian Paul Tobias Niklas Jan Tim Florian Alexander Sebastian Daniel
  Michael Thomas Andreas Stefan Markus Christian Matthias Martin Frank Jürgen Uwe Dirk Jens Moritz
`);
const austrianFirst = words(`
  Anna Lena Laura Julia Sarah Lisa Katharina Sophie Marie Hannah Magdalena Theresa Valentina Elena
  Christina Verena Barbara Elisabeth Sabine Andrea Birgit Karin Martina Veronika Johanna Carina
  Lukas Jakob Maximilian Elias Tobias Florian David Simon Fabian Dominik Matthias Stefan Markus
  Andreas Christoph Thomas Michael Wolfgang Gerhard Josef Franz Bernhard Harald Georg Manuel Raphael
`);
const swissFirst = words(`
  Anna Lena Laura Sarah Lara Mia Emma Lea Nina Jana Noemi Seraina Andrea Barbara Ursula Ruth
  Claudia Monika Daniela Corinne Nadine Sandra Regula Franziska Chiara Elena Céline Aline
  Luca Noah Levin Nico Jonas Simon David Samuel Fabio Gian Reto Urs Beat Daniel Martin Thomas
  Christian Marco Patrick Stefan Lukas Andreas Peter Hans Matthias Roger Adrian Dominik Mathias
`);
const dutchFirst = words(`
  Emma Julia Sophie Anna Tess Sara Fleur Lotte Noor Eva Lieke Sanne Femke Anouk Iris Marieke
  Esther Ingrid Annelies Willemijn Maud Roos Floor Evi Nina Lisa Ilse Mirjam Janneke Karin
  Daan Sem Lucas Levi Finn Milan Thijs Bram Ruben Jesse Lars Sven Joost Pieter Maarten Jeroen
  Bas Wouter Niels Koen Tom Stijn Hendrik Willem Gert Erik Rutger Sander Jasper Martijn
`);
const swedishFirst = words(`
  Alice Maja Elsa Astrid Wilma Ebba Saga Alva Ella Freja Ingrid Karin Anna Eva Kristina Lena
  Maria Sara Emma Linnea Ida Klara Sofia Elin Johanna Malin Hanna Frida Sigrid Annika Britta
  Erik Lars Anders Johan Karl Nils Oskar Lucas Hugo William Axel Liam Elias Gustav Olof Magnus
  Per Mikael Fredrik Henrik Jonas Daniel Stefan Mattias Björn Sven Leif Viktor Emil Isak
`);
const britishFirst = words(`
  Olivia Amelia Isla Ava Emily Sophie Grace Lily Freya Charlotte Ella Poppy Evie Isabella Chloe
  Jessica Hannah Lucy Rebecca Sarah Emma Claire Rachel Laura Victoria Katie Helen Joanne Fiona
  Oliver George Harry Jack Noah Charlie Jacob Thomas Oscar William James Henry Alfie Archie Leo
  Samuel Daniel Joseph David Matthew Andrew Richard Mark Paul Stephen Christopher Simon Edward
`);

const germanLast = words(`
  Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch Bauer
  Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann Lange
  Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König Walter
  Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel Friedrich
  Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon
  Ludwig Böhm Winter Kraus Martin Schumacher Krämer Vogt Stein Jäger Otto Sommer Groß Seidel
`);
const austrianLast = words(`
  Gruber Huber Bauer Wagner Müller Pichler Steiner Moser Mayer Hofer Leitner Berger Fuchs Eder
  Fischer Schmid Winkler Weber Schwarz Maier Schneider Reiter Mayr Schmidt Wimmer Egger Brunner
  Lang Baumgartner Auer Binder Lechner Wolf Wallner Aigner Ebner Koller Lehner Haas Schuster
  Holzer Haider Lackner Wieser Strasser Stadler Schwaiger Hofmann Kaufmann Gasser Wolf Kofler
  Hauser Riegler Posch Weiss Brandstätter Kainz Zach Pölzl Wurm Fink Obermayr Lindner Url
`);
const swissLast = words(`
  Müller Meier Schmid Keller Weber Huber Schneider Meyer Steiner Fischer Gerber Brunner Baumann
  Frei Zimmermann Moser Widmer Wyss Graf Roth Suter Baumgartner Bachmann Studer Bucher Berger
  Kaufmann Hofmann Kälin Lüthi Marti Ammann Sutter Bühler Egli Hess Kunz Zürcher Häfliger
  Rüegg Tanner Aebi Burkhalter Locher Hürlimann Rohner Schürch Koller Iten Knecht Rey Favre
  Bernasconi Rossi Bianchi Girard Bonvin Odermatt Imhof Stucki Vogel Niederer Camenzind Zbinden
`);
const dutchLast = words(`
  Jansen Bakker Visser Smit Meijer Mulder Bos Vos Peters Hendriks Dekker Brouwer Dijkstra Smits
  Willems Kok Jacobs Vermeulen Boer Schouten Verhoeven Hoekstra Koster Prins Huisman Kuipers
  Postma Blom Maas Veenstra Kramer Scholten Wolters Hermans Timmermans Groen Gerritsen Bosman
  Koning Boersma Klaassen Roos Pool Sanders Wijnands Kuiper Veldman Molenaar Haan Vink Brink
  Bergman Hofman Dijk Berg Beek Wit Graaf Vries Jong Bruijn Leeuwen Wal Heuvel Linden Meer
`);
const swedishLast = words(`
  Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
  Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson Lindström
  Olofsson Lindqvist Lindgren Berg Axelsson Bergström Lundberg Lind Lundgren Lundqvist Mattsson
  Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund Danielsson
  Lundin Håkansson Björk Bergman Gunnarsson Holm Samuelsson Fransson Wikström Isaksson Bergqvist
  Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson Nordström Mårtensson
`);
const britishLast = words(`
  Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson
  Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner
  Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen James Scott
  Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson
  Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams
`);

/** Dutch surnames often carry a particle that sorts apart ("de Vries", "van Dijk"). */
const dutchParticles: Readonly<Record<string, string>> = {
  Vries: 'de',
  Jong: 'de',
  Bruijn: 'de',
  Haan: 'de',
  Boer: 'de',
  Graaf: 'de',
  Wit: 'de',
  Dijk: 'van',
  Berg: 'van den',
  Beek: 'van',
  Leeuwen: 'van',
  Wal: 'van der',
  Heuvel: 'van den',
  Linden: 'van der',
  Meer: 'van der',
};

const firstNames: Readonly<Record<DemoMarket, readonly string[]>> = {
  DE: germanFirst,
  AT: austrianFirst,
  CH: swissFirst,
  NL: dutchFirst,
  SE: swedishFirst,
  UK: britishFirst,
};

const lastNames: Readonly<Record<DemoMarket, readonly string[]>> = {
  DE: germanLast,
  AT: austrianLast,
  CH: swissLast,
  NL: dutchLast,
  SE: swedishLast,
  UK: britishLast,
};

export function firstNamesOf(market: DemoMarket): readonly string[] {
  return firstNames[market];
}

export function lastNamesOf(market: DemoMarket): readonly string[] {
  return lastNames[market];
}

/** A surname as written in the market, particles included ("van der Meer"). */
export function fullLastName(market: DemoMarket, lastName: string): string {
  const particle = market === 'NL' ? dutchParticles[lastName] : undefined;
  return particle ? `${particle} ${lastName}` : lastName;
}

const transliterations: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  å: 'a',
  é: 'e',
  è: 'e',
};

/** "Jürgen Groß" -> "juergen", "gross" (Swedish "Sjöberg" -> "sjoberg"): the ASCII form
 * used in email addresses. */
export function asciiName(name: string, market: DemoMarket): string {
  const lower = name.toLowerCase();
  const swedish = market === 'SE' ? lower.replace(/[äå]/g, 'a').replace(/ö/g, 'o') : lower;
  return swedish.replace(/[äöüßåéè]/g, (c) => transliterations[c] ?? c).replace(/[^a-z]/g, '');
}
