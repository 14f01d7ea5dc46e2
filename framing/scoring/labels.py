"""The SemEval-2023 Task 3 label sets, spelled exactly as the task spells them."""

TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_Fear-Prejudice",
    "Appeal_to_Hypocrisy",
    "Appeal_to_Popularity",
    "Appeal_to_Time",
    "Appeal_to_Values",
    "Causal_Oversimplification",
    "Consequential_Oversimplification",
    "Conversation_Killer",
    "Doubt",
    "Exaggeration-Minimisation",
    "False_Dilemma-No_Choice",
    "Flag_Waving",
    "Guilt_by_Association",
    "Loaded_Language",
    "Name_Calling-Labeling",
    "Obfuscation-Vagueness-Confusion",
    "Questioning_the_Reputation",
    "Red_Herring",
    "Repetition",
    "Slogans",
    "Straw_Man",
    "Whataboutism",
)
"""The 23 persuasion techniques. Four of them (Appeal_to_Time, Appeal_to_Values,
Consequential_Oversimplification, Questioning_the_Reputation) have no example in the
English training data, so the bundled model always scores them 0."""

FRAMES: tuple[str, ...] = (
    "Capacity_and_resources",
    "Crime_and_punishment",
    "Cultural_identity",
    "Economic",
    "External_regulation_and_reputation",
    "Fairness_and_equality",
    "Health_and_safety",
    "Legality_Constitutionality_and_jurisprudence",
    "Morality",
    "Policy_prescription_and_evaluation",
    "Political",
    "Public_opinion",
    "Quality_of_life",
    "Security_and_defense",
)
"""The 14 frames of the Media Frames Corpus, as used by SemEval-2023 Task 3."""

SPAN_TECHNIQUES: tuple[str, ...] = ("Loaded_Language", "Name_Calling-Labeling", "Exaggeration-Minimisation")
"""Techniques whose SemEval spans teach the loaded-phrase tagger."""
