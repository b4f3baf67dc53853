import part from '@rapporteur/i18n/locales/en.json?catalog-part=events';
import { addEnglishPart } from '../i18n';

// The events pages' English messages come with their chunk, not with the first load.
addEnglishPart(part);
