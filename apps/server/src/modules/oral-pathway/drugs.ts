/**
 * The shipped referential of common oral anticancer drugs (VOC, "voie orale"): strengths, the schedule
 * patterns each drug is given on, food instructions and the default follow-up call schedule. Every entry
 * names its source, the product's summary of product characteristics (SmPC, EMA / ANSM), at the sections
 * the facts come from. Doses themselves are prescribed, never derived from here: `usualDose` is shown as a
 * reminder only.
 */

/** When the intakes of one day happen. */
export type IntakeMoment = 'morning' | 'evening';
/** How an intake relates to meals, as the SmPC states it. */
export type FoodInstruction = 'with_food' | 'fasting' | 'with_or_without_food';

export interface SchedulePattern {
  code: string;
  /** Cycle length in days; null for a continuous schedule (no rest period). */
  cycleDays: number | null;
  /** Treatment days at the start of each cycle (days 1…onDays); equals cycleDays or null when continuous. */
  onDays: number | null;
  intakes: readonly IntakeMoment[];
  labelFr: string;
  labelEn: string;
}

/**
 * The schedule patterns the referential's drugs use. A continuous schedule has no cycles; documents and
 * follow-up then count in 28-day periods (see CONTINUOUS_PERIOD_DAYS).
 */
export const SCHEDULE_PATTERNS: readonly SchedulePattern[] = [
  {
    code: 'continuous_once_daily',
    cycleDays: null,
    onDays: null,
    intakes: ['morning'],
    labelFr: 'En continu, une prise par jour',
    labelEn: 'Continuous, once daily',
  },
  {
    code: 'continuous_twice_daily',
    cycleDays: null,
    onDays: null,
    intakes: ['morning', 'evening'],
    labelFr: 'En continu, deux prises par jour (matin et soir)',
    labelEn: 'Continuous, twice daily (morning and evening)',
  },
  {
    code: 'd1_14_q21_twice_daily',
    cycleDays: 21,
    onDays: 14,
    intakes: ['morning', 'evening'],
    labelFr: 'J1 à J14 tous les 21 jours, deux prises par jour (7 jours de pause)',
    labelEn: 'Days 1–14 every 21 days, twice daily (7-day rest)',
  },
  {
    code: 'd1_21_q28_once_daily',
    cycleDays: 28,
    onDays: 21,
    intakes: ['morning'],
    labelFr: 'J1 à J21 tous les 28 jours, une prise par jour (7 jours de pause)',
    labelEn: 'Days 1–21 every 28 days, once daily (7-day rest)',
  },
  {
    code: 'd1_5_q28_once_daily',
    cycleDays: 28,
    onDays: 5,
    intakes: ['evening'],
    labelFr: 'J1 à J5 tous les 28 jours, une prise par jour (23 jours de pause)',
    labelEn: 'Days 1–5 every 28 days, once daily (23-day rest)',
  },
];

/** Length of a "period" for a continuous schedule: calendars and follow-up count in four weeks. */
export const CONTINUOUS_PERIOD_DAYS = 28;

export interface FollowUpSchedule {
  /** Days of the first cycle (day 1 = start date) on which the nurse coordinator calls. */
  firstCycleDays: number[];
  /** Day of each following cycle on which a call is due. */
  eachCycleDay: number;
}

export interface OralDrug {
  code: string;
  inn: string;
  innFr: string;
  atc: string;
  /** Unit strengths of the marketed forms, in mg. */
  strengthsMg: number[];
  form: 'tablet' | 'capsule';
  schedules: string[];
  food: FoodInstruction;
  usualDoseFr: string;
  /** Follow-up calls; the cooperation's settings may override them per drug. */
  followUp: FollowUpSchedule;
  /** What to watch for, shown on the drug sheet. */
  watchFr: string[];
  source: string;
}

/**
 * The usual nurse follow-up in the first cycle, day 8 and day 15, then once each cycle (published model:
 * REFERENCE.md section 5; not a national rule, hence configurable).
 */
export const DEFAULT_FOLLOW_UP: FollowUpSchedule = { firstCycleDays: [8, 15], eachCycleDay: 1 };

export const ORAL_DRUGS: readonly OralDrug[] = [
  {
    code: 'capecitabine',
    inn: 'capecitabine',
    innFr: 'capécitabine',
    atc: 'L01BC06',
    strengthsMg: [150, 500],
    form: 'tablet',
    schedules: ['d1_14_q21_twice_daily'],
    food: 'with_food',
    usualDoseFr: '1 000 à 1 250 mg/m² matin et soir, J1–J14 tous les 21 jours',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Syndrome main-pied', 'Diarrhée', 'Mucite', 'Fièvre (risque de neutropénie)'],
    source: 'Xeloda SmPC (EMA), sections 4.2, 4.3, 4.5 and 4.8',
  },
  {
    code: 'temozolomide',
    inn: 'temozolomide',
    innFr: 'témozolomide',
    atc: 'L01AX03',
    strengthsMg: [5, 20, 100, 140, 180, 250],
    form: 'capsule',
    schedules: ['d1_5_q28_once_daily'],
    food: 'fasting',
    usualDoseFr: '150 à 200 mg/m² une fois par jour, J1–J5 tous les 28 jours',
    followUp: { firstCycleDays: [8, 22], eachCycleDay: 1 },
    watchFr: ['Nausées et vomissements', 'Fièvre (risque de neutropénie)', 'Fatigue'],
    source: 'Temodal SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'lenalidomide',
    inn: 'lenalidomide',
    innFr: 'lénalidomide',
    atc: 'L04AX04',
    strengthsMg: [2.5, 5, 7.5, 10, 15, 20, 25],
    form: 'capsule',
    schedules: ['d1_21_q28_once_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '25 mg une fois par jour, J1–J21 tous les 28 jours (myélome)',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: [
      'Fièvre (risque de neutropénie)',
      'Signes de thrombose',
      'Éruption cutanée',
      'Programme de prévention de la grossesse',
    ],
    source: 'Revlimid SmPC (EMA), sections 4.2, 4.4, 4.5 and 4.8',
  },
  {
    code: 'abiraterone',
    inn: 'abiraterone acetate',
    innFr: 'acétate d’abiratérone',
    atc: 'L02BX03',
    strengthsMg: [250, 500],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'fasting',
    usualDoseFr: '1 000 mg une fois par jour, à jeun (avec prednisone ou prednisolone)',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Hypertension', 'Œdèmes', 'Hypokaliémie'],
    source: 'Zytiga SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'enzalutamide',
    inn: 'enzalutamide',
    innFr: 'enzalutamide',
    atc: 'L02BB04',
    strengthsMg: [40, 80],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '160 mg une fois par jour',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Fatigue', 'Chutes', 'Hypertension'],
    source: 'Xtandi SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'palbociclib',
    inn: 'palbociclib',
    innFr: 'palbociclib',
    atc: 'L01EF01',
    strengthsMg: [75, 100, 125],
    form: 'tablet',
    schedules: ['d1_21_q28_once_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '125 mg une fois par jour, J1–J21 tous les 28 jours',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Fièvre (risque de neutropénie)', 'Fatigue', 'Mucite'],
    source: 'Ibrance SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'imatinib',
    inn: 'imatinib',
    innFr: 'imatinib',
    atc: 'L01EA01',
    strengthsMg: [100, 400],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'with_food',
    usualDoseFr: '400 mg une fois par jour au cours d’un repas',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Œdèmes', 'Nausées', 'Crampes', 'Éruption cutanée'],
    source: 'Glivec SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'osimertinib',
    inn: 'osimertinib',
    innFr: 'osimertinib',
    atc: 'L01EB04',
    strengthsMg: [40, 80],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '80 mg une fois par jour',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Diarrhée', 'Éruption cutanée', 'Essoufflement, toux (pneumopathie)'],
    source: 'Tagrisso SmPC (EMA), sections 4.2, 4.3, 4.5 and 4.8',
  },
  {
    code: 'olaparib',
    inn: 'olaparib',
    innFr: 'olaparib',
    atc: 'L01XK01',
    strengthsMg: [100, 150],
    form: 'tablet',
    schedules: ['continuous_twice_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '300 mg matin et soir',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Nausées', 'Fatigue', 'Anémie'],
    source: 'Lynparza SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'erlotinib',
    inn: 'erlotinib',
    innFr: 'erlotinib',
    atc: 'L01EB02',
    strengthsMg: [25, 100, 150],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'fasting',
    usualDoseFr: '150 mg une fois par jour, au moins une heure avant ou deux heures après un repas',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Éruption cutanée', 'Diarrhée'],
    source: 'Tarceva SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
  {
    code: 'gefitinib',
    inn: 'gefitinib',
    innFr: 'géfitinib',
    atc: 'L01EB01',
    strengthsMg: [250],
    form: 'tablet',
    schedules: ['continuous_once_daily'],
    food: 'with_or_without_food',
    usualDoseFr: '250 mg une fois par jour',
    followUp: DEFAULT_FOLLOW_UP,
    watchFr: ['Diarrhée', 'Éruption cutanée'],
    source: 'Iressa SmPC (EMA), sections 4.2, 4.5 and 4.8',
  },
];

export function findDrug(code: string): OralDrug | undefined {
  return ORAL_DRUGS.find((d) => d.code === code);
}

export function findPattern(code: string): SchedulePattern | undefined {
  return SCHEDULE_PATTERNS.find((p) => p.code === code);
}

export const FOOD_LABELS_FR: Record<FoodInstruction, string> = {
  with_food: 'pendant ou juste après un repas',
  fasting: 'à jeun (1 h avant ou 2 h après un repas)',
  with_or_without_food: 'pendant ou en dehors des repas, toujours de la même façon',
};
