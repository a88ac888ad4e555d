/**
 * The curated interaction knowledge base shipped with the project: drug–drug, drug–herb and drug–food
 * interactions of the referential's oral anticancer drugs that a pharmaceutical consultation must catch.
 * Each entry states its severity, mechanism, recommendation and the published source it comes from; the
 * loader (interactions.ts) refuses any entry without a source. Terms are matched against what the patient
 * reports (brand or generic, French or English), accents and case ignored.
 *
 * Severity scale (French thesaurus wording): `contraindicated` (contre-indication), `avoid` (association
 * déconseillée), `caution` (précaution d'emploi: adjust or monitor), `consider` (à prendre en compte).
 */

/** Strong CYP3A4 inhibitors, by name as patients and prescriptions spell them. */
const STRONG_CYP3A4_INHIBITORS = [
  'ketoconazole',
  'kétoconazole',
  'itraconazole',
  'posaconazole',
  'voriconazole',
  'clarithromycine',
  'clarithromycin',
  'telithromycine',
  'ritonavir',
  'cobicistat',
  'nefazodone',
];
/** Strong CYP3A4 inducers (St John's wort has its own entry, as a herbal product). */
const STRONG_CYP3A4_INDUCERS = [
  'rifampicine',
  'rifampicin',
  'rifabutine',
  'carbamazepine',
  'carbamazépine',
  'phenytoine',
  'phénytoïne',
  'phenytoin',
  'phenobarbital',
  'phénobarbital',
  'primidone',
];
/** Proton-pump inhibitors and H2 antagonists: raise gastric pH for hours. */
const ACID_SUPPRESSANTS = [
  'omeprazole',
  'oméprazole',
  'mopral',
  'esomeprazole',
  'ésoméprazole',
  'inexium',
  'pantoprazole',
  'inipomp',
  'eupantol',
  'lansoprazole',
  'lanzor',
  'ogast',
  'rabeprazole',
  'rabéprazole',
  'pariet',
  'famotidine',
  'ranitidine',
  'cimetidine',
];
const VITAMIN_K_ANTAGONISTS = [
  'warfarine',
  'warfarin',
  'coumadine',
  'fluindione',
  'previscan',
  'acenocoumarol',
  'acénocoumarol',
  'sintrom',
  'minisintrom',
];
const ST_JOHNS_WORT = ['millepertuis', "st john's wort", 'st johns wort', 'hypericum', 'mildac', 'procalmil'];
const GRAPEFRUIT = ['pamplemousse', 'grapefruit', 'pomelo'];

export interface InteractionEntryInput {
  id?: string;
  /** Referential drug codes this entry concerns. */
  drugs?: string[];
  /** What the other side is: a drug, a herbal product or a food. */
  withKind?: string;
  /** French label of the other side, shown to the pharmacist. */
  withLabel?: string;
  /** Names that identify the other side in the reconciliation (folded before matching). */
  terms?: string[];
  severity?: string;
  mechanism?: string;
  recommendation?: string;
  source?: string;
}

export const INTERACTION_KNOWLEDGE_BASE: readonly InteractionEntryInput[] = [
  {
    id: 'capecitabine-vka',
    drugs: ['capecitabine'],
    withKind: 'drug',
    withLabel: 'Antivitamines K (warfarine, fluindione, acénocoumarol)',
    terms: VITAMIN_K_ANTAGONISTS,
    severity: 'caution',
    mechanism:
      'Capecitabine (fluoropyrimidine) inhibits CYP2C9: raised INR and bleeding, including deaths, up to a month after stopping.',
    recommendation:
      'Contrôler l’INR fréquemment et adapter la dose d’AVK ; envisager une héparine de bas poids moléculaire ou un anticoagulant oral direct.',
    source: 'Xeloda SmPC (EMA), sections 4.4 and 4.5 (coumarin-derivative anticoagulants)',
  },
  {
    id: 'capecitabine-brivudine',
    drugs: ['capecitabine'],
    withKind: 'drug',
    withLabel: 'Brivudine (Zostex)',
    terms: ['brivudine', 'zostex', 'sorivudine'],
    severity: 'contraindicated',
    mechanism:
      'Brivudine irreversibly inhibits dihydropyrimidine dehydrogenase (DPD): fluoropyrimidine toxicity, potentially fatal.',
    recommendation: 'Ne pas associer ; respecter un délai d’au moins 4 semaines après la dernière prise de brivudine.',
    source: 'Xeloda SmPC (EMA), sections 4.3 and 4.5 (brivudine)',
  },
  {
    id: 'capecitabine-phenytoin',
    drugs: ['capecitabine'],
    withKind: 'drug',
    withLabel: 'Phénytoïne, fosphénytoïne',
    terms: ['phenytoine', 'phénytoïne', 'phenytoin', 'di-hydan', 'dihydan', 'fosphenytoine'],
    severity: 'caution',
    mechanism: 'Capecitabine raises phenytoin plasma concentrations (CYP2C9 inhibition): phenytoin toxicity.',
    recommendation: 'Surveiller la concentration plasmatique de phénytoïne et les signes de surdosage.',
    source: 'Xeloda SmPC (EMA), section 4.5 (phenytoin)',
  },
  {
    id: 'tki-strong-cyp3a4-inhibitors',
    drugs: ['imatinib', 'osimertinib', 'palbociclib', 'olaparib', 'erlotinib', 'gefitinib'],
    withKind: 'drug',
    withLabel: 'Inhibiteurs puissants du CYP3A4 (azolés, clarithromycine, ritonavir…)',
    terms: STRONG_CYP3A4_INHIBITORS,
    severity: 'avoid',
    mechanism: 'Strong CYP3A4 inhibition raises the kinase inhibitor’s exposure (more toxicity).',
    recommendation:
      'Préférer une alternative non inhibitrice ; à défaut, réduire la dose selon le RCP (olaparib 100 mg x2/j, palbociclib 75 mg/j) et surveiller.',
    source:
      'Glivec, Tagrisso, Ibrance, Lynparza, Tarceva and Iressa SmPCs (EMA), section 4.5 (CYP3A4 inhibitors); Ibrance and Lynparza section 4.2 (dose reductions)',
  },
  {
    id: 'voc-strong-cyp3a4-inducers',
    drugs: ['imatinib', 'osimertinib', 'palbociclib', 'olaparib', 'erlotinib', 'gefitinib', 'abiraterone'],
    withKind: 'drug',
    withLabel: 'Inducteurs puissants du CYP3A4 (rifampicine, carbamazépine, phénytoïne, phénobarbital)',
    terms: STRONG_CYP3A4_INDUCERS,
    severity: 'avoid',
    mechanism: 'Strong CYP3A4 induction lowers the anticancer drug’s exposure: loss of efficacy.',
    recommendation:
      'Éviter l’association ; choisir un traitement non inducteur (avis neurologique pour les antiépileptiques).',
    source:
      'Glivec, Tagrisso, Ibrance, Lynparza, Tarceva, Iressa and Zytiga SmPCs (EMA), section 4.5 (CYP3A4 inducers)',
  },
  {
    id: 'voc-st-johns-wort',
    drugs: [
      'imatinib',
      'osimertinib',
      'palbociclib',
      'olaparib',
      'erlotinib',
      'gefitinib',
      'abiraterone',
      'enzalutamide',
    ],
    withKind: 'herbal',
    withLabel: 'Millepertuis (Hypericum perforatum)',
    terms: ST_JOHNS_WORT,
    severity: 'contraindicated',
    mechanism: 'St John’s wort induces CYP3A4 and P-glycoprotein: subtherapeutic anticancer drug levels.',
    recommendation: 'Arrêter le millepertuis (automédication ou phytothérapie) avant de débuter le traitement.',
    source:
      'Tagrisso SmPC (EMA), section 4.3; Glivec, Ibrance, Lynparza and Zytiga SmPCs, section 4.5 (St John’s wort)',
  },
  {
    id: 'tki-acid-suppressants',
    drugs: ['erlotinib', 'gefitinib'],
    withKind: 'drug',
    withLabel: 'Inhibiteurs de la pompe à protons et anti-H2',
    terms: ACID_SUPPRESSANTS,
    severity: 'avoid',
    mechanism:
      'pH-dependent absorption: raising gastric pH lowers the kinase inhibitor’s solubility (erlotinib AUC −46 % with omeprazole).',
    recommendation:
      'Éviter les IPP ; si un anti-H2 est nécessaire, prendre le traitement au moins 2 h avant ou 10 h après ; antiacides à distance de quelques heures.',
    source: 'Tarceva SmPC (EMA), section 4.5 (proton pump inhibitors, H2 antagonists); Iressa SmPC (EMA), section 4.5',
  },
  {
    id: 'voc-grapefruit',
    drugs: ['palbociclib', 'olaparib', 'imatinib', 'osimertinib'],
    withKind: 'food',
    withLabel: 'Pamplemousse (fruit ou jus)',
    terms: GRAPEFRUIT,
    severity: 'avoid',
    mechanism: 'Grapefruit inhibits intestinal CYP3A4: higher exposure to the anticancer drug.',
    recommendation: 'Ne pas consommer de pamplemousse ni de jus de pamplemousse pendant le traitement.',
    source: 'Ibrance SmPC (EMA), section 4.5 (grapefruit); Lynparza SmPC (EMA), section 4.5 (grapefruit juice)',
  },
  {
    id: 'enzalutamide-gemfibrozil',
    drugs: ['enzalutamide'],
    withKind: 'drug',
    withLabel: 'Gemfibrozil (inhibiteur puissant du CYP2C8)',
    terms: ['gemfibrozil', 'lipur'],
    severity: 'caution',
    mechanism: 'Strong CYP2C8 inhibition doubles the exposure to enzalutamide and its active metabolite.',
    recommendation: 'Éviter ; si l’association est indispensable, réduire l’enzalutamide à 80 mg par jour.',
    source: 'Xtandi SmPC (EMA), sections 4.2 and 4.5 (strong CYP2C8 inhibitors)',
  },
  {
    id: 'enzalutamide-vka',
    drugs: ['enzalutamide'],
    withKind: 'drug',
    withLabel: 'Antivitamines K',
    terms: VITAMIN_K_ANTAGONISTS,
    severity: 'caution',
    mechanism: 'Enzalutamide is a strong CYP3A4 and moderate CYP2C9 inducer: lower anticoagulant effect.',
    recommendation: 'Renforcer la surveillance de l’INR.',
    source: 'Xtandi SmPC (EMA), section 4.5 (warfarin and coumarin-like anticoagulants)',
  },
  {
    id: 'lenalidomide-digoxin',
    drugs: ['lenalidomide'],
    withKind: 'drug',
    withLabel: 'Digoxine',
    terms: ['digoxine', 'digoxin', 'hemigoxine'],
    severity: 'consider',
    mechanism: 'Lenalidomide raises digoxin exposure (Cmax +14 %).',
    recommendation: 'Surveiller la digoxinémie.',
    source: 'Revlimid SmPC (EMA), section 4.5 (digoxin)',
  },
  {
    id: 'temozolomide-valproate',
    drugs: ['temozolomide'],
    withKind: 'drug',
    withLabel: 'Acide valproïque',
    terms: ['valproate', 'valproique', 'valproïque', 'depakine', 'dépakine', 'depakote', 'divalproate'],
    severity: 'consider',
    mechanism: 'Valproic acid slightly decreases temozolomide clearance.',
    recommendation: 'Surveiller la tolérance hématologique.',
    source: 'Temodal SmPC (EMA), section 4.5 (valproic acid)',
  },
];
