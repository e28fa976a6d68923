import React from 'react'
import FormControlLabel from 'cozy-ui/transpiled/react/FormControlLabel'
import RadioGroup from 'cozy-ui/transpiled/react/RadioGroup'
import Radio from 'cozy-ui/transpiled/react/Radios'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { PART_SIZE_CHOICES, automaticPartSize, formatBytes } from './part-sizes'

interface Props {
  value: number
  onChange(value: number): void
  /** Bytes used by files and versions, to say what "automatic" will give. */
  usedBytes?: number
  disabled?: boolean
}

export function PartSizeChoice({ value, onChange, usedBytes, disabled }: Props): JSX.Element {
  const { t, lang } = useTranslation()
  return (
    <fieldset className="u-bdw-0 u-p-0 u-m-0">
      <legend className="u-mb-half">
        <Typography variant="h5" component="span">
          {t('export.size.title')}
        </Typography>
      </legend>
      <Typography variant="body2" color="textSecondary" className="u-mb-half" id="export-size-help">
        {t('export.size.help')}
      </Typography>
      <RadioGroup
        name="parts_size"
        value={String(value)}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(Number(event.target.value))}
        aria-describedby="export-size-help"
      >
        {PART_SIZE_CHOICES.map(size => (
          <FormControlLabel
            key={size}
            value={String(size)}
            disabled={disabled}
            control={<Radio />}
            label={
              size === 0
                ? usedBytes === undefined
                  ? t('export.size.autoUnknown')
                  : t('export.size.auto', {
                      size: formatBytes(automaticPartSize(usedBytes), lang),
                      used: formatBytes(usedBytes, lang)
                    })
                : t('export.size.fixed', { size: formatBytes(size, lang) })
            }
          />
        ))}
      </RadioGroup>
    </fieldset>
  )
}
