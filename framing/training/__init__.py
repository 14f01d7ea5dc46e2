"""Making and measuring models: corpora, distillation, one trainer per head, evaluation, the model card. Of the other parts, it imports only the scoring core."""
