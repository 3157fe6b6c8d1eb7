/**
 * What each role may do, as a table generated from the domain's permission matrix: one row per action, one
 * column per role, each cell "Yes", "No" or the limit the API applies (e.g. only at their assigned properties).
 */
import { hostRoles } from '#shared/domain/team.ts';
import { roleAbilities } from '../role-permissions.ts';
import { roleLabels } from './team-members.ts';

export function RoleMatrix() {
  const areas = roleAbilities();
  return (
    <section class="panel" aria-labelledby="role-matrix">
      <h2 id="role-matrix">What each role may do</h2>
      <p class="hint">The same rules the API applies to every request, whatever a page shows.</p>
      <div class="table-scroll">
        <table class="role-matrix" data-testid="role-matrix">
          <thead>
            <tr>
              <th scope="col">Action</th>
              {hostRoles.map((role) => (
                <th scope="col" key={role}>
                  {roleLabels[role]}
                </th>
              ))}
            </tr>
          </thead>
          {areas.map((area) => (
            <tbody key={area.name}>
              <tr>
                <th scope="colgroup" colSpan={hostRoles.length + 1} class="area">
                  {area.name}
                </th>
              </tr>
              {area.abilities.map((ability) => (
                <tr key={ability.action}>
                  <th scope="row">{ability.description}</th>
                  {hostRoles.map((role) => (
                    <td key={role} class={ability.byRole[role] === 'No' ? 'no' : 'yes'}>
                      {ability.byRole[role]}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          ))}
        </table>
      </div>
    </section>
  );
}
