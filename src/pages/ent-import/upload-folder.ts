import { DEFAULT_DESTINATION_PATH } from '../../import/records'

/** Where uploaded archives are kept: beside the imports, not in the watched folder (that would start a second import). */
export const UPLOAD_FOLDER_PATH = `${DEFAULT_DESTINATION_PATH}/Archives`
