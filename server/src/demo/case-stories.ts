// What Nordlys owners write about, in German and English: subject, the owner's words, and
// how the care team answered so far. Used to fill the demo inbox with real-looking cases.
import type { CaseStatus, PhoneCall } from '../modules/cases/cases.tables.js';

export interface CaseStory {
  topic: string;
  subject: string;
  customer: string;
  reply?: string;
  note?: string;
  call?: PhoneCall & { notes: string };
  followUp?: string;
  status: CaseStatus;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
}

export const germanStories: readonly CaseStory[] = [
  {
    topic: 'charging',
    subject: 'Ladeklappe öffnet sich nicht',
    customer:
      'Guten Tag, seit gestern öffnet sich die Ladeklappe meines Aurora nicht mehr. Ich kann das Auto nicht laden. Was kann ich tun?',
    reply:
      'Guten Tag, bitte halten Sie die Klappe an der hinteren Kante gedrückt und entriegeln Sie das Fahrzeug zweimal. Hilft das nicht, buchen wir Ihnen einen mobilen Service.',
    status: 'pending_customer',
    priority: 'high',
  },
  {
    topic: 'charging',
    subject: 'Batterien laden nur bis 80 Prozent',
    customer:
      'Meine Batterie lädt an der Wallbox nur noch bis 80 %. Das Ladelimit steht auf 100 %. Ist die Batterie defekt?',
    note: 'Telemetrie prüfen: Zelltemperatur beim Laden auffällig? Ggf. Qualität informieren.',
    status: 'open',
  },
  {
    topic: 'software',
    subject: 'Software-Update 2026.44 bleibt hängen',
    customer:
      'Das Update auf 2026.44.1 hängt seit drei Stunden bei 62 %. Das Display ist schwarz. Kann ich trotzdem fahren?',
    call: {
      direction: 'inbound',
      durationSeconds: 412,
      outcome: 'dropped',
      notes:
        'Kundin rief aus der Tiefgarage an, Verbindung brach ab. Rückruf vereinbart, Anleitung per E-Mail geschickt.',
    },
    reply:
      'Wie besprochen: bitte das Fahrzeug 10 Minuten verriegelt stehen lassen, danach startet das Update neu. Wir melden uns morgen früh.',
    status: 'open',
    priority: 'urgent',
  },
  {
    topic: 'delivery',
    subject: 'Liefertermin verschoben?',
    customer:
      'Mein Fjord sollte nächste Woche geliefert werden, jetzt zeigt die App „in Vorbereitung“. Gibt es eine Verzögerung?',
    reply:
      'Ihr Fahrzeug wartet auf ein Teil der Anhängerkupplung. Der neue Termin ist voraussichtlich in zwei Wochen, wir bestätigen ihn verbindlich.',
    note: 'Leasinggesellschaft hat Unterlagen noch nicht freigegeben – Auftragsmanager klärt.',
    status: 'pending_third_party',
  },
  {
    topic: 'service',
    subject: 'Reifenwechsel auf Winterreifen',
    customer: 'Ich möchte meine Winterreifen montieren lassen. Geht das auch mobil bei mir in der Firma?',
    reply:
      'Gern, unser mobiler Service kommt am Donnerstag zwischen 9 und 12 Uhr. Bitte die Räder bereitstellen.',
    status: 'solved',
    priority: 'low',
  },
  {
    topic: 'billing',
    subject: 'Rechnung für Rückrufaktion erhalten',
    customer:
      'Ich habe eine Rechnung über 189 € für den Tausch der Bremsleitung bekommen. Das war doch eine Rückrufaktion?',
    note: 'Rückruf RC-2026-07 betrifft die FIN – Rechnung stornieren, Kulanz prüfen.',
    status: 'open',
    priority: 'high',
  },
  {
    topic: 'other',
    subject: 'Ausgesperrt – Schlüsselkarte im Auto',
    customer:
      'Ich habe Schlüsselkarte und Handy im Auto eingeschlossen. Können Sie das Auto aus der Ferne öffnen?',
    call: {
      direction: 'inbound',
      durationSeconds: 240,
      outcome: 'resolved',
      notes:
        'Identität über Rückfrage bestätigt, Kunde hat die Fernöffnung in der App eines Partners freigegeben.',
    },
    status: 'closed',
    priority: 'urgent',
  },
  {
    topic: 'charging',
    subject: 'Ladekabel wird nicht erkannt',
    customer:
      'An öffentlichen Säulen lädt das Auto, aber mit meinem mitgelieferten Ladekabel passiert nichts. Die LED blinkt rot.',
    status: 'new',
  },
  {
    topic: 'service',
    subject: 'Quietschende Bremsen nach Regen',
    customer:
      'Nach Regenfahrten quietschen die Bremsen stark. Ist das normal oder soll ich einen Termin machen?',
    reply:
      'Leichtes Quietschen nach Nässe ist normal. Wenn es nach einigen Bremsungen bleibt, buchen Sie bitte einen Termin – wir prüfen die Beläge kostenlos.',
    followUp: 'Es quietscht auch bei Trockenheit weiter. Ich buche einen Termin.',
    status: 'open',
  },
];

export const englishStories: readonly CaseStory[] = [
  {
    topic: 'charging',
    subject: 'Charging stops after a few minutes',
    customer:
      'Charging at home stops after about five minutes and the car shows "charging interrupted". The charger works with my neighbour\'s car.',
    reply:
      'Thanks for the details. Please try lowering the charge current to 16 A in the charging menu; we are checking the charger logs.',
    status: 'pending_customer',
    priority: 'high',
  },
  {
    topic: 'software',
    subject: 'Phone key not working after update',
    customer:
      'Since the 2026.44.1 update my phone key no longer unlocks the car. I have to use the key card every time.',
    note: 'Known issue KI-118 (BLE pairing after update) – link when the fix ships.',
    status: 'open',
  },
  {
    topic: 'delivery',
    subject: 'Where is my Aurora?',
    customer:
      'My delivery was planned for last Friday and nobody has contacted me. Can you tell me the new date?',
    reply:
      'I am sorry for the silence. Your Aurora is at the port in Zeebrugge; the transport is booked for next Tuesday. I am your contact until delivery.',
    status: 'open',
    priority: 'high',
  },
  {
    topic: 'service',
    subject: 'Tyre pressure warning',
    customer:
      'The tyre pressure warning is on for the front left tyre, but the pressure looks fine. Can I keep driving?',
    call: {
      direction: 'outbound',
      durationSeconds: 180,
      outcome: 'no_answer',
      notes: 'No answer, left voicemail, will email instructions.',
    },
    reply:
      'Please recalibrate the sensors under Settings > Vehicle > Tyres after inflating to 2.9 bar. If the warning returns, book a visit.',
    status: 'solved',
  },
  {
    topic: 'billing',
    subject: 'Double charge for charging subscription',
    customer:
      'My card was charged twice for the charging subscription this month. Please refund one payment.',
    status: 'new',
  },
  {
    topic: 'other',
    subject: 'Battery drained at the airport',
    customer:
      'I parked at the airport for 10 days and the battery went from 70% to 31%. Is that normal? The car says sentry mode was off.',
    note: 'Vehicle reported 12 wake-ups per hour during parking – escalate to quality.',
    status: 'open',
    priority: 'high',
  },
  {
    topic: 'charging',
    subject: 'Charger cable locked in the port',
    customer: 'The charging cable is stuck in the car and will not release, even after unlocking.',
    reply:
      'Please pull the manual release in the boot (left side, behind the cover). Photo instructions are attached in the app.',
    status: 'closed',
    priority: 'urgent',
  },
];
