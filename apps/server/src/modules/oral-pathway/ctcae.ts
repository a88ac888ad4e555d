/**
 * The CTCAE v5.0 subset the follow-up grades (NCI, 27 Nov 2017; REFERENCE.md section 6), with each grade's
 * definition as the nurse sees it, the lay wording the patient-reported form offers for the same grade, and
 * the alert rules applied to both. Hand-foot syndrome is shown in its v4.03 wording, believed identical in
 * v5 (REFERENCE.md marks the v5 wording unconfirmed).
 */

export interface CtcaeGrade {
  grade: number;
  definitionFr: string;
  definitionEn: string;
  /** What the patient ticks on the self-report form for this grade. */
  patientFr: string;
}

export interface CtcaeTerm {
  code: string;
  termEn: string;
  termFr: string;
  soc: string;
  grades: CtcaeGrade[];
}

export const CTCAE_VERSION = 'CTCAE v5.0 (NCI, 2017)';

export const CTCAE_TERMS: readonly CtcaeTerm[] = [
  {
    code: 'diarrhea',
    termEn: 'Diarrhea',
    termFr: 'Diarrhée',
    soc: 'Gastrointestinal disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Increase of <4 stools per day over baseline; mild increase in ostomy output',
        definitionFr: 'Augmentation de < 4 selles par jour par rapport à l’état habituel',
        patientFr: 'Moins de 4 selles de plus que d’habitude par jour',
      },
      {
        grade: 2,
        definitionEn: 'Increase of 4–6 stools per day over baseline; limiting instrumental ADL',
        definitionFr: 'Augmentation de 4 à 6 selles par jour ; limite les activités instrumentales',
        patientFr: '4 à 6 selles de plus que d’habitude par jour',
      },
      {
        grade: 3,
        definitionEn:
          'Increase of ≥7 stools per day over baseline; incontinence; hospitalization indicated; limiting self-care ADL',
        definitionFr:
          'Augmentation ≥ 7 selles par jour ; incontinence ; hospitalisation indiquée ; limite l’autonomie de base',
        patientFr: '7 selles ou plus de plus que d’habitude par jour, ou je ne peux pas me retenir',
      },
      {
        grade: 4,
        definitionEn: 'Life-threatening consequences; urgent intervention indicated',
        definitionFr: 'Mise en jeu du pronostic vital ; intervention urgente',
        patientFr: 'Je me sens très mal, malaise, je ne tiens pas debout',
      },
    ],
  },
  {
    code: 'palmar_plantar_erythrodysesthesia',
    termEn: 'Palmar-plantar erythrodysesthesia syndrome',
    termFr: 'Syndrome main-pied',
    soc: 'Skin and subcutaneous tissue disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Minimal skin changes or dermatitis (e.g., erythema, edema, or hyperkeratosis) without pain',
        definitionFr: 'Modifications cutanées minimes (rougeur, œdème, hyperkératose) sans douleur',
        patientFr: 'Rougeurs des mains ou des pieds, sans douleur',
      },
      {
        grade: 2,
        definitionEn:
          'Skin changes (e.g., peeling, blisters, bleeding, edema, or hyperkeratosis) with pain; limiting instrumental ADL',
        definitionFr:
          'Modifications cutanées (desquamation, bulles, saignement) avec douleur ; limite les activités instrumentales',
        patientFr: 'Peau qui pèle ou cloques, douloureuses, qui gênent certaines activités',
      },
      {
        grade: 3,
        definitionEn: 'Severe skin changes with pain; limiting self-care ADL',
        definitionFr: 'Modifications cutanées sévères avec douleur ; limite l’autonomie de base',
        patientFr: 'Douleur importante : je ne peux plus marcher ou me servir de mes mains normalement',
      },
    ],
  },
  {
    code: 'nausea',
    termEn: 'Nausea',
    termFr: 'Nausées',
    soc: 'Gastrointestinal disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Loss of appetite without alteration in eating habits',
        definitionFr: 'Perte d’appétit sans modification des habitudes alimentaires',
        patientFr: 'Moins d’appétit, mais je mange normalement',
      },
      {
        grade: 2,
        definitionEn: 'Oral intake decreased without significant weight loss, dehydration or malnutrition',
        definitionFr: 'Diminution des apports sans perte de poids significative, déshydratation ni dénutrition',
        patientFr: 'Je mange moins que d’habitude',
      },
      {
        grade: 3,
        definitionEn: 'Inadequate oral caloric or fluid intake; tube feeding, TPN, or hospitalization indicated',
        definitionFr: 'Apports caloriques ou hydriques insuffisants ; nutrition artificielle ou hospitalisation',
        patientFr: 'Je ne peux presque plus manger ni boire',
      },
    ],
  },
  {
    code: 'vomiting',
    termEn: 'Vomiting',
    termFr: 'Vomissements',
    soc: 'Gastrointestinal disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Intervention not indicated',
        definitionFr: 'Pas d’intervention nécessaire',
        patientFr: 'J’ai vomi, mais cela passe seul',
      },
      {
        grade: 2,
        definitionEn: 'Outpatient IV hydration; medical intervention indicated',
        definitionFr: 'Hydratation IV en ambulatoire ; intervention médicale indiquée',
        patientFr: 'Je vomis plusieurs fois par jour, malgré le traitement contre les nausées',
      },
      {
        grade: 3,
        definitionEn: 'Tube feeding, TPN, or hospitalization indicated',
        definitionFr: 'Nutrition artificielle ou hospitalisation indiquée',
        patientFr: 'Je vomis tout ce que je bois ou mange',
      },
      {
        grade: 4,
        definitionEn: 'Life-threatening consequences',
        definitionFr: 'Mise en jeu du pronostic vital',
        patientFr: 'Je me sens très mal, malaise, je ne tiens pas debout',
      },
    ],
  },
  {
    code: 'mucositis_oral',
    termEn: 'Mucositis oral',
    termFr: 'Mucite buccale',
    soc: 'Gastrointestinal disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Asymptomatic or mild symptoms; intervention not indicated',
        definitionFr: 'Asymptomatique ou symptômes légers ; pas d’intervention',
        patientFr: 'Bouche un peu sensible',
      },
      {
        grade: 2,
        definitionEn: 'Moderate pain or ulcer that does not interfere with oral intake; modified diet indicated',
        definitionFr: 'Douleur ou ulcération modérée, sans gêne pour s’alimenter ; alimentation adaptée',
        patientFr: 'Aphtes ou douleurs, je dois adapter ce que je mange',
      },
      {
        grade: 3,
        definitionEn: 'Severe pain; interfering with oral intake',
        definitionFr: 'Douleur sévère gênant l’alimentation',
        patientFr: 'Douleurs fortes, je ne peux presque plus manger',
      },
      {
        grade: 4,
        definitionEn: 'Life-threatening consequences; urgent intervention indicated',
        definitionFr: 'Mise en jeu du pronostic vital ; intervention urgente',
        patientFr: 'Je ne peux plus rien avaler',
      },
    ],
  },
  {
    code: 'fatigue',
    termEn: 'Fatigue',
    termFr: 'Fatigue',
    soc: 'General disorders and administration site conditions',
    grades: [
      {
        grade: 1,
        definitionEn: 'Fatigue relieved by rest',
        definitionFr: 'Fatigue soulagée par le repos',
        patientFr: 'Fatigué(e), mais le repos me soulage',
      },
      {
        grade: 2,
        definitionEn: 'Fatigue not relieved by rest; limiting instrumental ADL',
        definitionFr: 'Non soulagée par le repos ; limite les activités instrumentales',
        patientFr: 'Le repos ne suffit pas, je ne fais plus mes courses ou mes repas',
      },
      {
        grade: 3,
        definitionEn: 'Fatigue not relieved by rest, limiting self-care ADL',
        definitionFr: 'Non soulagée par le repos ; limite l’autonomie de base',
        patientFr: 'J’ai besoin d’aide pour me laver ou m’habiller',
      },
    ],
  },
  {
    code: 'fever',
    termEn: 'Fever',
    termFr: 'Fièvre',
    soc: 'General disorders and administration site conditions',
    grades: [
      {
        grade: 1,
        definitionEn: '38.0–39.0 °C',
        definitionFr: '38,0 à 39,0 °C',
        patientFr: 'Température entre 38,0 et 39,0 °C',
      },
      {
        grade: 2,
        definitionEn: '>39.0–40.0 °C',
        definitionFr: 'Plus de 39,0 à 40,0 °C',
        patientFr: 'Température entre 39,1 et 40,0 °C',
      },
      {
        grade: 3,
        definitionEn: '>40.0 °C for ≤24 hrs',
        definitionFr: 'Plus de 40,0 °C pendant 24 h au plus',
        patientFr: 'Température au-dessus de 40,0 °C',
      },
      {
        grade: 4,
        definitionEn: '>40.0 °C for >24 hrs',
        definitionFr: 'Plus de 40,0 °C pendant plus de 24 h',
        patientFr: 'Température au-dessus de 40,0 °C depuis plus d’un jour',
      },
    ],
  },
  {
    code: 'rash_maculo_papular',
    termEn: 'Rash maculo-papular',
    termFr: 'Éruption maculo-papuleuse',
    soc: 'Skin and subcutaneous tissue disorders',
    grades: [
      {
        grade: 1,
        definitionEn: 'Macules/papules covering <10% BSA with or without symptoms',
        definitionFr: 'Lésions couvrant < 10 % de la surface corporelle',
        patientFr: 'Quelques boutons ou plaques, sur une petite surface',
      },
      {
        grade: 2,
        definitionEn:
          'Macules/papules covering 10–30% BSA; limiting instrumental ADL; or >30% BSA with or without mild symptoms',
        definitionFr: 'Lésions couvrant 10 à 30 % de la surface corporelle ; limite les activités instrumentales',
        patientFr: 'Boutons ou plaques étendus, qui me gênent',
      },
      {
        grade: 3,
        definitionEn: 'Macules/papules covering >30% BSA with moderate or severe symptoms; limiting self-care ADL',
        definitionFr: 'Lésions > 30 % de la surface corporelle avec symptômes modérés ou sévères ; limite l’autonomie',
        patientFr: 'Boutons ou plaques sur une grande partie du corps, douloureux ou qui démangent fortement',
      },
    ],
  },
];

export function findTerm(code: string): CtcaeTerm | undefined {
  return CTCAE_TERMS.find((t) => t.code === code);
}

export function maxGrade(term: CtcaeTerm): number {
  return Math.max(...term.grades.map((g) => g.grade));
}

/**
 * When a graded symptom alerts the physician: at `defaultMinGrade` (grade 3, severe, by the CTCAE general
 * rule) or at a lower per-term threshold the cooperation configures (fever at grade 1 under a drug that
 * can cause neutropenia is the usual example). `adherenceStopped` alerts when the patient stopped the
 * treatment on their own.
 */
export interface AlertRules {
  defaultMinGrade: number;
  termMinGrade: Record<string, number>;
  alertOnStoppedTreatment: boolean;
}

export const DEFAULT_ALERT_RULES: AlertRules = { defaultMinGrade: 3, termMinGrade: {}, alertOnStoppedTreatment: true };

export interface GradedSymptom {
  term: string;
  grade: number;
}

export interface RaisedAlert {
  term: string | null;
  grade: number | null;
  /** Which rule fired: `grade>=3`, `fever>=1`, `treatment_stopped`. */
  rule: string;
}

/** The alerts a set of graded symptoms (from a call or a patient report) raises. Pure. */
export function evaluateAlerts(
  symptoms: readonly GradedSymptom[],
  adherence: string | null,
  rules: AlertRules = DEFAULT_ALERT_RULES,
): RaisedAlert[] {
  const alerts: RaisedAlert[] = [];
  for (const s of symptoms) {
    const threshold = rules.termMinGrade[s.term] ?? rules.defaultMinGrade;
    if (s.grade >= threshold) {
      const rule = s.term in rules.termMinGrade ? `${s.term}>=${threshold}` : `grade>=${threshold}`;
      alerts.push({ term: s.term, grade: s.grade, rule });
    }
  }
  if (rules.alertOnStoppedTreatment && adherence === 'stopped') {
    alerts.push({ term: null, grade: null, rule: 'treatment_stopped' });
  }
  return alerts;
}

/** Problems with graded symptoms: unknown term, grade outside the term's scale, a term given twice. */
export function symptomProblems(symptoms: readonly GradedSymptom[]): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  symptoms.forEach((s, i) => {
    const term = findTerm(s.term);
    if (!term) problems.push({ path: `body.symptoms.${i}.term`, message: 'unknown CTCAE term' });
    else if (!term.grades.some((g) => g.grade === s.grade)) {
      problems.push({ path: `body.symptoms.${i}.grade`, message: `grade must be 1–${maxGrade(term)} for this term` });
    }
    if (seen.has(s.term)) problems.push({ path: `body.symptoms.${i}.term`, message: 'term given twice' });
    seen.add(s.term);
  });
  return problems;
}
